using System.Security.Cryptography;
using Forgeline.Core;

namespace Forgeline.Builds.Artifacts;

/// <summary>
/// Content-addressed files under <c>&lt;root&gt;/sha256/ab/cd/&lt;digest&gt;</c>. A file appears under its name only
/// complete and verified: it is written to <c>tmp/</c>, hashed while written, synced, then renamed into place.
/// </summary>
public sealed class ArtifactStore
{
    private readonly string root;
    private readonly string tmp;

    /// <summary>A store rooted at <paramref name="root"/> (created if missing).</summary>
    public ArtifactStore(string root)
    {
        this.root = Path.GetFullPath(root);
        tmp = Path.Combine(this.root, "tmp");
        Directory.CreateDirectory(tmp);
    }

    /// <summary>Path of the file stored under <paramref name="sha256"/>.</summary>
    public string PathOf(string sha256)
    {
        if (!Sha256Hex.IsValid(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a sha256 digest", nameof(sha256));
        }

        return Path.Combine(root, "sha256", sha256[..2], sha256[2..4], sha256);
    }

    /// <summary>Whether a blob is stored.</summary>
    public bool Contains(string sha256) => Sha256Hex.IsValid(sha256) && File.Exists(PathOf(sha256));

    /// <summary>Opens a stored blob for reading; null when absent.</summary>
    public FileStream? OpenRead(string sha256) =>
        Contains(sha256) ? new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true) : null;

    /// <summary>
    /// Streams <paramref name="content"/> into a temporary file, checking its size and digest. The caller inspects the
    /// staged file and then commits or disposes it; nothing is visible in the store before <see cref="StagedBlob.Commit"/>.
    /// </summary>
    public async Task<ServiceResult<StagedBlob>> StageAsync(Stream content, string? expectedSha256, long maxBytes, CancellationToken cancellationToken)
    {
        var path = Path.Combine(tmp, Guid.NewGuid().ToString("N"));
        var staged = new StagedBlob(this, path);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        staged.Dispose();
                        return ServiceResult<StagedBlob>.Fail(ServiceError.TooLarge, $"the upload is larger than the limit of {maxBytes} bytes");
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                file.Flush(flushToDisk: true);
            }

            staged.Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            staged.Size = size;
            if (expectedSha256 is not null && expectedSha256 != staged.Sha256)
            {
                staged.Dispose();
                return ServiceResult<StagedBlob>.Fail(ServiceError.Invalid, $"the upload's sha256 is {staged.Sha256}, not {expectedSha256} as declared; it was damaged on the way, send it again");
            }

            return staged;
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    internal void Commit(StagedBlob blob)
    {
        var target = PathOf(blob.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Same content, same name: a blob stored twice is the same file, so an existing one is simply kept.
        if (File.Exists(target))
        {
            File.Delete(blob.Path);
        }
        else
        {
            File.Move(blob.Path, target);
        }
    }

    /// <summary>
    /// Stores small content held in memory (the one-line log of a cache hit, say) and returns its digest and size. Content
    /// already stored is not written again: a blob under its digest is always complete, and writing it anew would cost an
    /// fsync on every cache hit for nothing.
    /// </summary>
    public async Task<(string Sha256, long Size)> PutBytesAsync(byte[] content, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (!Contains(sha256))
        {
            using var staged = (await StageAsync(new MemoryStream(content), sha256, long.MaxValue, cancellationToken)).Value!;
            staged.Commit();
        }

        return (sha256, content.Length);
    }

    /// <summary>Stores a local file (a build log, say) and returns its digest and size.</summary>
    public async Task<(string Sha256, long Size)> PutFileAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var result = await StageAsync(file, null, long.MaxValue, cancellationToken);
        using var staged = result.Value!;
        staged.Commit();
        return (staged.Sha256, staged.Size);
    }
}
