using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;
using Forgeline.Core.Sources;
using Forgeline.Core.Workers;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker;

/// <summary>
/// Runs one leased job: fetches the sources, turns a directory or git checkout into an SRPM, rebuilds it with rpmbuild,
/// all inside the sandbox, and uploads the results. Expected failures become <see cref="JobFailedException"/>.
/// </summary>
public sealed class BuildRunner(ForgelineClient client, BubblewrapSandbox sandbox, JobLease lease, JobLog log, string workDirectory)
{
    private readonly DateTimeOffset deadline = DateTimeOffset.UtcNow.AddSeconds(lease.TimeoutSeconds);
    private long logBytes;

    /// <summary>Builds and uploads; returns the package's name-version-release.</summary>
    public async Task<string> RunAsync(CancellationToken stop)
    {
        Directory.CreateDirectory(Path.Combine(workDirectory, "src"));
        var fetchClock = System.Diagnostics.Stopwatch.StartNew();
        var srpm = lease.Source.Kind switch
        {
            SourceKind.Srpm => await FetchSrpmAsync(stop),
            SourceKind.Directory => await PrepareDirectoryAsync(stop),
            SourceKind.Git => await PrepareGitAsync(stop),
            _ => throw new JobFailedException($"this worker cannot build sources of kind {lease.Source.Kind}"),
        };

        var srpmName = Path.GetFileName(srpm);
        await log.LineAsync($"sources ready after {fetchClock.Elapsed.TotalSeconds:0.00}s; rebuilding {srpmName}");
        await RunStepAsync("rpmbuild", ["rpmbuild", "--rebuild", "--nodeps", "--define", "_topdir /build/rpmbuild", "--define", "_tmppath /tmp", "--define", "_buildhost forgeline-build", $"/build/{Path.GetRelativePath(workDirectory, srpm)}"], network: false, stop);

        var rpms = Directory.EnumerateFiles(Path.Combine(workDirectory, "rpmbuild", "RPMS"), "*.rpm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (rpms.Count == 0)
        {
            throw new JobFailedException("rpmbuild succeeded but produced no binary RPMs");
        }

        await log.LineAsync($"uploading {rpms.Count} RPM(s) and {srpmName}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var rpm in rpms)
        {
            await UploadAsync("rpm", rpm, stop);
        }

        await UploadAsync("srpm", srpm, stop);
        await log.LineAsync($"uploads took {clock.Elapsed.TotalSeconds:0.00}s");
        return srpmName[..^".src.rpm".Length];
    }

    private async Task<string> FetchSrpmAsync(CancellationToken stop)
    {
        var name = lease.Source.FileName is { Length: > 0 } given && given.EndsWith(".src.rpm", StringComparison.Ordinal) ? Path.GetFileName(given) : "source.src.rpm";
        var path = Path.Combine(workDirectory, "src", name);
        await client.DownloadBlobAsync(lease.Source.Blob!, path, stop);
        return path;
    }

    private async Task<string> PrepareDirectoryAsync(CancellationToken stop)
    {
        var archive = Path.Combine(workDirectory, "source.tar.gz");
        await client.DownloadBlobAsync(lease.Source.Blob!, archive, stop);
        // The server checked it on upload; check again: a worker trusts nothing it is handed.
        await using (var file = File.OpenRead(archive))
        {
            if (SourceArchive.FindProblem(file) is { } problem)
            {
                throw new JobFailedException($"the source archive is unsafe: {problem}");
            }
        }

        await log.LineAsync("unpacking the source directory");
        await RunStepAsync("unpacking", ["tar", "-xzf", "/build/source.tar.gz", "-C", "/build/src", "--no-same-owner", "--no-same-permissions"], network: false, stop);
        return await BuildSrpmAsync(stop);
    }

    private async Task<string> PrepareGitAsync(CancellationToken stop)
    {
        var url = lease.Source.Url!;
        await log.LineAsync($"cloning {url}" + (lease.Source.Ref is { Length: > 0 } r ? $" at {r}" : ""));
        // Only this step has the network: it fetches the sources, and nothing of the package runs during it.
        await RunStepAsync("git clone", ["git", "-c", "protocol.file.allow=never", "clone", "--quiet", "--no-checkout", "--", url, "/build/src"], network: true, stop);
        var gitRef = lease.Source.Ref is { Length: > 0 } wanted ? wanted : "HEAD";
        await RunStepAsync("git checkout", ["git", "-C", "/build/src", "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", gitRef, "--"], network: false, stop);
        await RunStepAsync("git log", ["git", "-C", "/build/src", "log", "-1", "--format=forgeline: commit %H %s"], network: false, stop);
        Directory.Delete(Path.Combine(workDirectory, "src", ".git"), recursive: true);
        return await BuildSrpmAsync(stop);
    }

    private async Task<string> BuildSrpmAsync(CancellationToken stop)
    {
        var spec = FindSpec();
        var specDir = Path.GetDirectoryName(spec)!;
        var inside = "/build/" + Path.GetRelativePath(workDirectory, specDir);
        await log.LineAsync($"making the source RPM from {Path.GetRelativePath(Path.Combine(workDirectory, "src"), spec)}");
        await RunStepAsync("rpmbuild -bs", ["rpmbuild", "-bs", "--nodeps", "--define", "_topdir /build/rpmbuild", "--define", "_tmppath /tmp", "--define", "_buildhost forgeline-build",
            "--define", $"_sourcedir {inside}", "--define", $"_specdir {inside}", "--define", "_srcrpmdir /build/srpm", $"{inside}/{Path.GetFileName(spec)}"], network: false, stop);
        var srpms = Directory.Exists(Path.Combine(workDirectory, "srpm")) ? Directory.GetFiles(Path.Combine(workDirectory, "srpm"), "*.src.rpm") : [];
        return srpms.Length == 1 ? srpms[0] : throw new JobFailedException("rpmbuild -bs did not produce a source RPM");
    }

    private string FindSpec()
    {
        var src = Path.Combine(workDirectory, "src");
        if (lease.Source.SpecPath is { Length: > 0 } given)
        {
            var path = Path.GetFullPath(Path.Combine(src, given));
            if (!path.StartsWith(src + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                throw new JobFailedException($"spec file '{given}' is not in the sources");
            }

            return path;
        }

        var specs = Directory.GetFiles(src, "*.spec").Where(p => new FileInfo(p).LinkTarget is null).ToArray();
        return specs.Length switch
        {
            1 => specs[0],
            0 => throw new JobFailedException("no .spec file at the top of the sources; name one with --spec"),
            _ => throw new JobFailedException($"several .spec files at the top of the sources ({string.Join(", ", specs.Select(Path.GetFileName))}); choose one with --spec"),
        };
    }

    private async Task RunStepAsync(string step, string[] command, bool network, CancellationToken stop)
    {
        var left = deadline - DateTimeOffset.UtcNow;
        if (left <= TimeSpan.Zero)
        {
            throw new JobFailedException($"timed out after {lease.TimeoutSeconds}s");
        }

        var request = new SandboxRequest(workDirectory, command, network, left, lease.LogLimitBytes - logBytes);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await sandbox.RunAsync(request, log.WriteAsync, stop);
        logBytes += result.OutputBytes;
        await log.LineAsync($"{step} took {clock.Elapsed.TotalSeconds:0.00}s");
        switch (result.Outcome)
        {
            case SandboxOutcome.TimedOut:
                throw new JobFailedException($"timed out after {lease.TimeoutSeconds}s during {step}; the build was stopped");
            case SandboxOutcome.OutputLimitExceeded:
                throw new JobFailedException($"the build log passed its limit of {lease.LogLimitBytes} bytes during {step}; the build was stopped");
            case SandboxOutcome.Stopped:
                stop.ThrowIfCancellationRequested();
                throw new OperationCanceledException(stop);
            case SandboxOutcome.Exited when result.ExitCode != 0:
                throw new JobFailedException($"{step} failed with exit code {result.ExitCode}; the end of the build log says why");
        }
    }

    private async Task UploadAsync(string kind, string path, CancellationToken stop)
    {
        var sha = await Sha256Hex.OfFileAsync(path, stop);
        await client.UploadArtifactAsync(lease.LeaseId, kind, path, sha, stop);
    }
}
