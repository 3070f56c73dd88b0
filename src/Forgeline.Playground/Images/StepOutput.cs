using System.Text;

namespace Forgeline.Playground.Images;

/// <summary>The output of one build step: passed on line by line to the progress, its last lines kept for the error message.</summary>
internal sealed class StepOutput(IProgress<string>? progress, int keepLines = 20)
{
    private readonly Queue<string> last = new();
    private readonly StringBuilder partial = new();
    private readonly Decoder decoder = Encoding.UTF8.GetDecoder();
    private readonly Lock gate = new();

    /// <summary>Takes bytes as they come (from either stream).</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        lock (gate)
        {
            var chars = new char[decoder.GetCharCount(bytes, flush: false)];
            decoder.GetChars(bytes, chars, flush: false);
            foreach (var c in chars)
            {
                if (c == '\n')
                {
                    Line(partial.ToString().TrimEnd('\r'));
                    partial.Clear();
                }
                else if (partial.Length < 4096)
                {
                    partial.Append(c);
                }
            }
        }
    }

    /// <summary>Takes one whole line.</summary>
    public void AddLine(string line)
    {
        lock (gate)
        {
            Line(line);
        }
    }

    /// <summary>The last lines, joined with newlines (what is still unterminated included).</summary>
    public string Tail()
    {
        lock (gate)
        {
            var lines = last.ToList();
            if (partial.Length > 0)
            {
                lines.Add(partial.ToString());
            }

            return string.Join('\n', lines.Where(l => l.Length > 0));
        }
    }

    private void Line(string line)
    {
        last.Enqueue(line);
        while (last.Count > keepLines)
        {
            last.Dequeue();
        }

        progress?.Report(line);
    }
}
