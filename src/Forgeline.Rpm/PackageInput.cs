namespace Forgeline.Rpm;

/// <summary>Reads blocks from a stream while counting the bytes consumed, never allocating much more than the stream really holds.</summary>
internal sealed class PackageInput(Stream stream)
{
    private const int FirstChunk = 64 * 1024;

    /// <summary>Bytes consumed from the stream since this reader was created.</summary>
    public long Position { get; private set; }

    /// <summary>Reads up to <paramref name="count"/> bytes; a shorter result means the stream ended.</summary>
    public byte[] ReadUpTo(int count)
    {
        if (count <= 0)
        {
            return [];
        }

        int target = count;
        if (TryGetRemaining(out long remaining) && remaining < target)
        {
            target = (int)Math.Max(remaining, 0);
        }

        // Grow the buffer as data arrives so a hostile size field cannot make us allocate 256 MiB up front.
        byte[] buffer = new byte[Math.Min(target, FirstChunk)];
        int filled = 0;
        while (filled < target)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, target));
            }

            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        Position += filled;
        if (filled != buffer.Length)
        {
            Array.Resize(ref buffer, filled);
        }

        return buffer;
    }

    private bool TryGetRemaining(out long remaining)
    {
        remaining = 0;
        if (!stream.CanSeek)
        {
            return false;
        }

        try
        {
            remaining = stream.Length - stream.Position;
            return true;
        }
        catch (NotSupportedException)
        {
            return false;
        }
    }
}
