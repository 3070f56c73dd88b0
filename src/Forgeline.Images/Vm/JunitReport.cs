using System.Xml;

namespace Forgeline.Images.Vm;

/// <summary>The counts a JUnit XML file reports: its test cases and the failed ones (a <c>failure</c> or <c>error</c> inside).</summary>
public sealed record JunitReport(int Tests, int Failures)
{
    /// <summary>Reads <paramref name="content"/>; null and a <paramref name="problem"/> in words if it is too large or not JUnit XML.</summary>
    public static JunitReport? Read(byte[] content, int maxBytes, out string problem)
    {
        problem = "";
        if (content.Length > maxBytes)
        {
            problem = $"is {content.Length} bytes, more than the {maxBytes} allowed";
            return null;
        }

        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true };
        int tests = 0, failures = 0, caseDepth = -1;
        var failedCase = false;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content), settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName is not ("testsuite" or "testsuites"))
            {
                problem = $"is not JUnit XML: the root element is <{reader.LocalName}>, not <testsuites> or <testsuite>";
                return null;
            }

            do
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "testcase")
                {
                    tests++;
                    caseDepth = reader.IsEmptyElement ? -1 : reader.Depth;
                    failedCase = false;
                }
                else if (reader.NodeType == XmlNodeType.Element && caseDepth >= 0 && reader.LocalName is "failure" or "error" && !failedCase)
                {
                    failures++;
                    failedCase = true;
                }
                else if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == caseDepth)
                {
                    caseDepth = -1;
                }
            }
            while (reader.Read());
        }
        catch (XmlException e)
        {
            problem = $"is not JUnit XML: {e.Message}";
            return null;
        }

        return new JunitReport(tests, failures);
    }
}
