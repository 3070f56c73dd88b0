using Forgeline.Core;
using Forgeline.Worker;

namespace Forgeline.Testing;

/// <summary>
/// The server's file endpoints for a <see cref="BuildRunner"/> run without a server (benchmarks): sources are local
/// files by digest; uploads are moved into <c>uploads</c> when it is given (a rename, so the clock measures building,
/// not a network), and dropped otherwise.
/// </summary>
public sealed class FileJobTransfer(string? uploads = null) : IJobTransfer
{
    private readonly Dictionary<string, string> blobs = [];

    /// <summary>Offers <paramref name="path"/> for download; returns its digest.</summary>
    public async Task<string> AddAsync(string path)
    {
        var sha = await Sha256Hex.OfFileAsync(path);
        blobs[sha] = path;
        return sha;
    }

    /// <inheritdoc />
    public Task DownloadBlobAsync(string sha256, string destination, CancellationToken cancellationToken)
    {
        File.Copy(blobs[sha256], destination);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UploadArtifactAsync(string kind, string path, CancellationToken cancellationToken)
    {
        if (uploads is not null)
        {
            Directory.CreateDirectory(uploads);
            File.Move(path, Path.Combine(uploads, Path.GetFileName(path)), overwrite: true);
        }

        return Task.CompletedTask;
    }
}
