namespace Forgeline.Testing;

/// <summary>
/// A real filesystem of a few MiB (a tmpfs mounted for the test; needs root, as CI runs), so that "disk full" is the
/// kernel's ENOSPC and not a simulation. <see cref="FillAsync"/> takes every free byte, <see cref="Free"/> gives them back.
/// </summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private readonly TempDirectory? owned;

    private SmallDisk(string path, TempDirectory? owned) => (Path, this.owned) = (path, owned);

    /// <summary>Where it is mounted.</summary>
    public string Path { get; }

    /// <summary>The filler file while the disk is full.</summary>
    private string Filler => System.IO.Path.Combine(Path, ".filler");

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MiB at <paramref name="at"/> (created), or at a new temporary directory.</summary>
    public static async Task<SmallDisk> MountAsync(int megabytes, string? at = null)
    {
        var owned = at is null ? new TempDirectory("forgeline-small-disk") : null;
        var path = at ?? owned!.Path;
        Directory.CreateDirectory(path);
        var (code, _, error) = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", path]);
        if (code != 0)
        {
            owned?.Dispose();
            throw new InvalidOperationException($"mounting a {megabytes} MiB tmpfs for the disk-full tests failed (they need root, as CI has): {error.Trim()}");
        }

        return new SmallDisk(path, owned);
    }

    /// <summary>Free bytes as the filesystem reports them.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Writes a filler until the kernel says ENOSPC (the filesystem is then full to the last byte); returns its size.</summary>
    public async Task<long> FillAsync()
    {
        // Unbuffered: every write is a write(2), and nothing is left to flush (and fail) at dispose.
        await using var file = new FileStream(Filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        // Big blocks, then single bytes for what a block no longer fits in.
        foreach (var size in new[] { 64 * 1024, 1 })
        {
            var block = new byte[size];
            try
            {
                while (true)
                {
                    await file.WriteAsync(block);
                }
            }
            catch (IOException e) when (e.HResult == 28)
            {
                // ENOSPC: on to the smaller blocks, or done.
            }
        }

        return file.Length;
    }

    /// <summary>Gives the filler's space back.</summary>
    public void Free() => File.Delete(Filler);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // Lazily: a process of the test may still have a file open in it.
        await ProcessRunner.RunAsync("umount", ["-l", Path]);
        owned?.Dispose();
    }
}
