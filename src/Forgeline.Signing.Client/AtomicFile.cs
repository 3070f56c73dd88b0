namespace Forgeline.Signing.Client;

/// <summary>Replaces a file only once its new content is complete: a failure or a crash leaves the original untouched.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/> into a temporary file beside it, then renames it into
    /// place. With <paramref name="durable"/> the data is synced first, so even a power cut leaves old or new content;
    /// without it (mass signing, as rpmsign does) a killed process still never leaves a half-written file.
    /// </summary>
    public static void Write(string path, Action<Stream> write, bool durable = true)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.forgeline-{Guid.NewGuid():N}");
        // Keep the original's permissions (an installed module, say): set at creation, no extra chmod.
        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(full);
        }
        catch (FileNotFoundException)
        {
            mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        var moved = false;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 64 * 1024, UnixCreateMode = mode };
            using (var stream = new FileStream(temporary, options))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temporary, full, overwrite: true);
            moved = true;
        }
        finally
        {
            if (!moved)
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Writes bytes atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }
}
