using System.Text;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;

namespace Forgeline.Worker.Tests;

/// <summary>
/// A stand-in for the server's file endpoints, so <see cref="BuildRunner"/> runs with real rpmbuild and bwrap but
/// without a server: sources and dependencies are local files by digest, uploads are recorded. Like the server's
/// client it hands over the file it has under a digest, but unlike it, it does not check the bytes: the worker's own
/// check is what a test of a corrupt download exercises.
/// </summary>
internal sealed class LocalJobTransfer : IJobTransfer
{
    private readonly Dictionary<string, string> blobs = [];

    /// <summary>What was uploaded, as (kind, file name).</summary>
    public List<(string Kind, string Name)> Uploads { get; } = [];

    /// <summary>The uploaded RPMs (not the SRPM), as their paths in the job's work directory.</summary>
    public List<string> UploadedRpms { get; } = [];

    /// <summary>Copies of the uploaded build root package lists (the job's directory is gone after it), in upload order.</summary>
    public List<string> UploadedFiles { get; } = [];

    /// <summary>When set, every download throws it (the server unreachable, say).</summary>
    public Exception? DownloadFailure { get; set; }

    /// <summary>Offers <paramref name="path"/> for download; returns its digest.</summary>
    public async Task<string> AddAsync(string path)
    {
        var sha = await Sha256Hex.OfFileAsync(path);
        blobs[sha] = path;
        return sha;
    }

    /// <summary>Offers <paramref name="path"/> under <paramref name="sha256"/>, whatever its content (a corrupt blob).</summary>
    public void Serve(string sha256, string path) => blobs[sha256] = path;

    /// <summary>Offers each RPM for download and returns them as a lease's dependencies.</summary>
    public async Task<List<JobDependency>> DependenciesAsync(IEnumerable<string> rpms)
    {
        var dependencies = new List<JobDependency>();
        foreach (var rpm in rpms)
        {
            dependencies.Add(new JobDependency(Path.GetFileName(rpm), await AddAsync(rpm)));
        }

        return dependencies;
    }

    /// <summary>A lease for the SRPM at <paramref name="srpm"/>, offered for download.</summary>
    public async Task<JobLease> SrpmLeaseAsync(string srpm, IReadOnlyDictionary<string, string>? macros = null) =>
        Lease(new BuildSource(SourceKind.Srpm, Blob: await AddAsync(srpm), FileName: Path.GetFileName(srpm)), macros);

    /// <summary>A lease for <paramref name="source"/> with test limits.</summary>
    public static JobLease Lease(BuildSource source, IReadOnlyDictionary<string, string>? macros = null) =>
        new(1, "lease-" + Guid.NewGuid().ToString("N"), 1, source, "x86_64", TimeoutSeconds: 120, LogLimitBytes: 16 * 1024 * 1024, LeaseSeconds: 60, macros);

    /// <inheritdoc />
    public Task DownloadBlobAsync(string sha256, string destination, CancellationToken cancellationToken)
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
            if (kind == JobRootReport.PackagesArtifactKind)
            {
                var copy = Path.Combine(Path.GetTempPath(), "forgeline-uploads-" + Environment.ProcessId, Guid.NewGuid().ToString("N"), Path.GetFileName(path));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(path, copy);
                UploadedFiles.Add(copy);
            }
            if (kind == "rpm")
            {
                UploadedRpms.Add(path);
            }
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
