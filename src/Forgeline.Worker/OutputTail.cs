using System.Text;

namespace Forgeline.Worker;

/// <summary>The last bytes of a step's output, as text.</summary>
internal sealed class OutputTail(int capacity)
{
    private readonly byte[] buffer = new byte[capacity];
    private int length;

    /// <summary>Appends output, dropping what falls out of the capacity.</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        lock (buffer)
        {
            if (bytes.Length >= capacity)
            {
                bytes[^capacity..].CopyTo(buffer);
                length = capacity;
                return;
            }

            var keep = Math.Min(length, capacity - bytes.Length);
            buffer.AsSpan(length - keep, keep).CopyTo(buffer);
            bytes.CopyTo(buffer.AsSpan(keep));
            length = keep + bytes.Length;
        }
    }

    /// <summary>The kept bytes as UTF-8 (a character cut at the start shows as a replacement character).</summary>
    public override string ToString()
    {
        lock (buffer)
        {
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
    }
}
