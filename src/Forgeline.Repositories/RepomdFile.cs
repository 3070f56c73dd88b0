using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Forgeline.Repositories;

/// <summary>The parts of a <c>repomd.xml</c> the publisher needs: the files it references and their checksums.</summary>
internal sealed partial class RepomdFile
{
    private static readonly XNamespace Repo = "http://linux.duke.edu/metadata/repo";

    private RepomdFile(IReadOnlyList<RepomdRecord> records) => Records = records;

    /// <summary>One <c>&lt;data&gt;</c> entry: its type (primary, filelists…), location and checksum.</summary>
    public sealed record RepomdRecord(string Type, string Href, string ChecksumType, string Checksum);

    public IReadOnlyList<RepomdRecord> Records { get; }

    /// <summary>Reads a repomd.xml; throws <see cref="InvalidDataException"/> when it is not one.</summary>
    public static RepomdFile Load(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path);
        }
        catch (System.Xml.XmlException e)
        {
            throw new InvalidDataException($"{path} is not well-formed XML: {e.Message}", e);
        }

        if (document.Root?.Name != Repo + "repomd")
        {
            throw new InvalidDataException($"{path} is not a repomd.xml (its root element is {document.Root?.Name})");
        }

        var records = new List<RepomdRecord>();
        foreach (var data in document.Root.Elements(Repo + "data"))
        {
            var checksum = data.Element(Repo + "checksum");
            var href = data.Element(Repo + "location")?.Attribute("href")?.Value;
            if (checksum is null || href is null)
            {
                throw new InvalidDataException($"{path}: the <data type=\"{data.Attribute("type")?.Value}\"> entry has no checksum or location");
            }

            records.Add(new RepomdRecord(data.Attribute("type")?.Value ?? "", href, checksum.Attribute("type")?.Value ?? "", checksum.Value.Trim()));
        }

        return new RepomdFile(records);
    }

    /// <summary>The <c>packages="N"</c> count of the primary metadata in <paramref name="repodata"/>, read from its first few kilobytes.</summary>
    public int PrimaryPackageCount(string repodata)
    {
        var primary = Records.FirstOrDefault(r => r.Type == "primary")
            ?? throw new InvalidDataException("the repomd.xml lists no primary metadata");
        using var file = File.OpenRead(Path.Combine(repodata, Path.GetFileName(primary.Href)));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var head = new byte[4096];
        var length = gzip.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var match = PackagesAttribute().Match(System.Text.Encoding.UTF8.GetString(head, 0, length));
        return match.Success ? int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"{primary.Href} has no packages=\"N\" attribute in its <metadata> element");
    }

    [GeneratedRegex("<metadata [^>]*packages=\"([0-9]+)\"")]
    private static partial Regex PackagesAttribute();
}
