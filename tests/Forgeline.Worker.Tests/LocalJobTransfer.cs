using System.Text;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;

namespace Forgeline.Worker.Tests;

/// <summary>
/// A stand-in for the server's file endpoints, so <see cref="BuildRunner"/> runs with real rpmbuild and bwrap but
/// without a server: sources are local files by digest, uploads are recorded.
/// </summary>
internal sealed class LocalJobTransfer : IJobTransfer
{
    private readonly Dictionary<string, string> blobs = [];

    /// <summary>What was uploaded, as (kind, file name).</summary>
    public List<(string Kind, string Name)> Uploads { get; } = [];

    /// <summary>When set, every download throws it (the server unreachable, say).</summary>
    public Exception? DownloadFailure { get; set; }

    /// <summary>Offers <paramref name="path"/> for download; returns its digest.</summary>
    public async Task<string> AddAsync(string path)
    {
        var sha = await Sha256Hex.OfFileAsync(path);
        blobs[sha] = path;
        return sha;
    }

    /// <summary>A lease for the SRPM at <paramref name="srpm"/>, offered for download.</summary>
    public async Task<JobLease> SrpmLeaseAsync(string srpm, IReadOnlyDictionary<string, string>? macros = null) =>
        Lease(new BuildSource(SourceKind.Srpm, Blob: await AddAsync(srpm), FileName: Path.GetFileName(srpm)), macros);

    /// <summary>A lease for <paramref name="source"/> with test limits.</summary>
    public static JobLease Lease(BuildSource source, IReadOnlyDictionary<string, string>? macros = null) =>
        new(1, "lease-" + Guid.NewGuid().ToString("N"), 1, source, "x86_64", TimeoutSeconds: 120, LogLimitBytes: 16 * 1024 * 1024, LeaseSeconds: 60, macros);

    /// <inheritdoc />
    public Task DownloadSourceAsync(string sha256, string destination, CancellationToken cancellationToken)
    {
        if (DownloadFailure is not null)
        {
            throw DownloadFailure;
        }

        File.Copy(blobs[sha256], destination);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UploadArtifactAsync(string kind, string path, CancellationToken cancellationToken)
    {
        lock (Uploads)
        {
            Uploads.Add((kind, Path.GetFileName(path)));
        }

        return Task.CompletedTask;
    }
}

/// <summary>A build log kept in memory.</summary>
internal sealed class CollectingBuildLog : IBuildLog
{
    private readonly StringBuilder text = new();

    /// <summary>Everything logged so far.</summary>
    public string Text
    {
        get
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }

    /// <inheritdoc />
    public Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        lock (text)
        {
            text.Append(Encoding.UTF8.GetString(bytes.Span));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task LineAsync(string line) => WriteAsync(Encoding.UTF8.GetBytes($"forgeline: {line}\n"));
}
