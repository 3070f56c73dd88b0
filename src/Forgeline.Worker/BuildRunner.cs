using Forgeline.Core.Builds;
using Forgeline.Core.Client;
using Forgeline.Core.Sources;
using Forgeline.Core.Workers;
using Forgeline.Worker.Dependencies;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker;

/// <summary>
/// Runs one leased job: fetches the sources, turns a directory or git checkout into an SRPM, unpacks the RPMs it
/// builds against, rebuilds it with rpmbuild, all inside the sandbox, and uploads the results. A failure that is the
/// package's fault becomes <see cref="JobFailedException"/>; one that is not (network, sandbox, disk) becomes
/// <see cref="JobErrorException"/>.
/// </summary>
/// <param name="transfer">Where the sources come from and the results go.</param>
/// <param name="sandbox">Runs every step.</param>
/// <param name="lease">The job.</param>
/// <param name="log">The build log.</param>
/// <param name="workDirectory">A fresh directory for this job only.</param>
/// <param name="compilerCache">The worker's ccache, or null to build without one.</param>
/// <param name="time">The clock of the job's deadline; the system's by default.</param>
/// <param name="roots">What builds in a target's root need (cache, server); null when this worker cannot make roots.</param>
/// <param name="images">What image jobs need (QEMU and the image tools); null when this worker cannot run them.</param>
public sealed partial class BuildRunner(
    IJobTransfer transfer, BubblewrapSandbox sandbox, JobLease lease, IBuildLog log, string workDirectory, CompilerCache? compilerCache = null, TimeProvider? time = null,
    BuildRootHost? roots = null, ImageRunnerOptions? images = null)
{
    // Only the end of a failed step's output is searched for the cause.
    private const int TailBytes = 8 * 1024;

    private readonly TimeProvider jobClock = time ?? TimeProvider.System;
    private readonly List<StoredArtifact> stored = [];
    private DateTimeOffset? deadline;
    private long logBytes;

    /// <summary>Results not uploaded because the server already holds them (an SRPM build's own SRPM), for the completion to name.</summary>
    public IReadOnlyList<StoredArtifact> StoredArtifacts => stored;

    /// <summary>Builds and uploads; returns the package's name-version-release (for an image job, what it was).</summary>
    public async Task<string> RunAsync(CancellationToken stop)
    {
        deadline = jobClock.GetUtcNow().AddSeconds(lease.TimeoutSeconds);
        if (RpmMacros.FindProblem(lease.Macros) is { } badMacro)
        {
            throw new JobFailedException(badMacro);
        }

        Directory.CreateDirectory(Path.Combine(workDirectory, "src"));
        if (lease.Source.Kind == SourceKind.Image)
        {
            try
            {
                return await RunImageJobAsync(images, stop);
            }
            finally
            {
                ReleaseRoot();
            }
        }

        var fetchClock = System.Diagnostics.Stopwatch.StartNew();
        var srpm = lease.Source.Kind switch
        {
            SourceKind.Srpm => await FetchSrpmAsync(stop),
            SourceKind.Directory => await PrepareDirectoryAsync(stop),
            SourceKind.Git => await PrepareGitAsync(stop),
            _ => throw new JobFailedException($"this worker cannot build sources of kind {lease.Source.Kind}"),
        };

        var srpmName = Path.GetFileName(srpm);
        if (lease.Root is not null)
        {
            await log.LineAsync($"sources ready after {fetchClock.Elapsed.TotalSeconds:0.00}s");
            try
            {
                await BuildInRootAsync(srpm, stop);
                await log.LineAsync($"rebuilding {srpmName} in the build root");
                await RebuildInRootAsync(srpm, stop);
            }
            finally
            {
                ReleaseRoot();
            }
        }
        else if (lease.Dependencies is { Count: > 0 })
        {
            await log.LineAsync($"sources ready after {fetchClock.Elapsed.TotalSeconds:0.00}s; host toolchain, not isolated");
            var dependencies = await InstallDependenciesAsync(stop);
            await log.LineAsync($"rebuilding {srpmName}");
            await RebuildAsync(srpm, dependencies, stop);
        }
        else
        {
            await log.LineAsync($"sources ready after {fetchClock.Elapsed.TotalSeconds:0.00}s; host toolchain, not isolated; rebuilding {srpmName}");
            await RebuildAsync(srpm, null, stop);
        }

        var rpms = Directory.EnumerateFiles(Path.Combine(workDirectory, "rpmbuild", "RPMS"), "*.rpm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (rpms.Count == 0)
        {
            throw new JobFailedException("rpmbuild succeeded but produced no binary RPMs");
        }

        // An SRPM build's SRPM is the source blob the server gave: named by its digest (checked on download), not sent back.
        var srpmStored = lease.Protocol >= JobLease.CompleteCarriesMore && lease.Source.Kind == SourceKind.Srpm && lease.Source.Blob is { } blob;
        await log.LineAsync(srpmStored ? $"uploading {rpms.Count} RPM(s); {srpmName} is the server's own source" : $"uploading {rpms.Count} RPM(s) and {srpmName}");
        var uploadClock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var rpm in rpms)
        {
            await UploadAsync("rpm", rpm, stop);
        }

        if (srpmStored)
        {
            stored.Add(new StoredArtifact(srpmName, "srpm", lease.Source.Blob!));
        }
        else
        {
            await UploadAsync("srpm", srpm, stop);
        }

        await log.LineAsync($"uploads took {uploadClock.Elapsed.TotalSeconds:0.00}s");
        return srpmName[..^".src.rpm".Length];
    }

    private async Task RebuildAsync(string srpm, BuildDependencyRoot? dependencies, CancellationToken stop)
    {
        // --nodeps stays even with dependencies: the host's rpm database is Debian's (empty), so every BuildRequires
        // would look missing. The server checks BuildRequires against the project and names the RPMs that satisfy
        // them; those are unpacked and shown to the build, not registered in an rpm database.
        var command = new List<string> { "rpmbuild", "--rebuild", "--nodeps" };
        command.AddRange(WorkerDefines());
        command.Add($"/build/{Path.GetRelativePath(workDirectory, srpm)}");
        SandboxRequest Configure(SandboxRequest request)
        {
            if (compilerCache is not null)
            {
                request = request with { Binds = [compilerCache.Bind], Environment = compilerCache.Environment };
            }

            return dependencies?.Apply(request) ?? request;
        }

        if (compilerCache is null)
        {
            await RunStepAsync("rpmbuild", [.. command], network: false, stop, Configure);
            return;
        }

        Directory.CreateDirectory(compilerCache.Directory);
        try
        {
            await RunStepAsync("rpmbuild", [.. command], network: false, stop, Configure);
        }
        finally
        {
            if (CompilerCache.ReadStats(workDirectory) is { } stats)
            {
                await log.LineAsync(stats.ToString());
            }
        }
    }

    private async Task<string> FetchSrpmAsync(CancellationToken stop)
    {
        var name = lease.Source.FileName is { Length: > 0 } given && given.EndsWith(".src.rpm", StringComparison.Ordinal) ? Path.GetFileName(given) : "source.src.rpm";
        var path = Path.Combine(workDirectory, "src", name);
        await DownloadAsync(lease.Source.Blob!, path, "the sources", stop);
        return path;
    }

    private async Task<string> PrepareDirectoryAsync(CancellationToken stop)
    {
        var archive = Path.Combine(workDirectory, "source.tar.gz");
        await DownloadAsync(lease.Source.Blob!, archive, "the sources", stop);
        // The server checked it on upload; check again: a worker trusts nothing it is handed.
        await using (var file = File.OpenRead(archive))
        {
            if (SourceArchive.FindProblem(file) is { } problem)
            {
                throw new JobFailedException($"the source archive is unsafe: {problem}");
            }
        }

        await log.LineAsync("unpacking the source directory");
        await RunStepAsync("unpacking", SourceCommands.Unpack("/build/source.tar.gz", "/build/src"), network: false, stop);
        return await BuildSrpmAsync(stop);
    }

    /// <param name="what">What it is, in the error: "the sources", "build dependency x.rpm".</param>
    private async Task DownloadAsync(string sha256, string path, string what, CancellationToken stop)
    {
        try
        {
            await transfer.DownloadBlobAsync(sha256, path, stop);
        }
        catch (Exception e) when (e is HttpRequestException or ForgelineApiException or IOException or InvalidDataException && !JobFailure.IsOutOfSpace(e) && !stop.IsCancellationRequested)
        {
            throw new JobErrorException($"could not download {what} from the server: {e.Message}", e);
        }
    }

    private async Task<string> PrepareGitAsync(CancellationToken stop)
    {
        var url = lease.Source.Url!;
        await log.LineAsync($"cloning {url}" + (lease.Source.Ref is { Length: > 0 } r ? $" at {r}" : ""));
        // Only this step has the network: it fetches the sources, and nothing of the package runs during it.
        await RunStepAsync("git clone", SourceCommands.GitClone(url, "/build/src"), network: true, stop,
            notThePackagesFault: GitNetworkFailure.Find);
        await RunStepAsync("git checkout", SourceCommands.GitCheckout("/build/src", lease.Source.Ref), network: false, stop);
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
        var command = new List<string> { "rpmbuild", "-bs", "--nodeps" };
        command.AddRange(WorkerDefines());
        command.AddRange(["--define", $"_sourcedir {inside}", "--define", $"_specdir {inside}", "--define", "_srcrpmdir /build/srpm", $"{inside}/{Path.GetFileName(spec)}"]);
        await RunStepAsync("rpmbuild -bs", [.. command], network: false, stop);
        var srpms = Directory.Exists(Path.Combine(workDirectory, "srpm")) ? Directory.GetFiles(Path.Combine(workDirectory, "srpm"), "*.src.rpm") : [];
        return srpms.Length == 1 ? srpms[0] : throw new JobFailedException("rpmbuild -bs did not produce a source RPM");
    }

    /// <summary>The build's own macros, then the worker's, which it may not override (checked in <see cref="RpmMacros"/>).</summary>
    private IEnumerable<string> WorkerDefines() => RpmMacros.WithWorkerDefines(lease.Macros);

    private string FindSpec()
    {
        var (spec, problem) = SpecLocator.Find(Path.Combine(workDirectory, "src"), lease.Source.SpecPath);
        return spec ?? throw new JobFailedException(problem!);
    }

    /// <param name="step">The step's name in messages.</param>
    /// <param name="command">What runs in the sandbox.</param>
    /// <param name="network">Whether it may use the network.</param>
    /// <param name="stop">Cancel, lease lost or shutdown.</param>
    /// <param name="configure">Adds to the step's sandbox: mounts, variables, overlays, another work directory.</param>
    /// <param name="notThePackagesFault">Given the end of a failed step's output, the reason when the failure is not the package's fault.</param>
    /// <param name="whyItFailed">Given the end of a failed step's output, the reason to give (the package's fault) instead of "the end of the build log says why".</param>
    /// <param name="alsoFine">Exit codes other than 0 that are not a failure; the exit code is returned.</param>
    /// <param name="watch">Sees the output as it comes, before the log does.</param>
    private async Task<int> RunStepAsync(string step, string[] command, bool network, CancellationToken stop,
        Func<SandboxRequest, SandboxRequest>? configure = null, Func<string, string?>? notThePackagesFault = null,
        Func<string, string?>? whyItFailed = null, IReadOnlySet<int>? alsoFine = null, Action<ReadOnlyMemory<byte>>? watch = null)
    {
        var left = (deadline ??= jobClock.GetUtcNow().AddSeconds(lease.TimeoutSeconds)) - jobClock.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            throw new JobFailedException($"timed out after {lease.TimeoutSeconds}s");
        }

        var request = new SandboxRequest(workDirectory, command, network, left, lease.LogLimitBytes - logBytes);
        request = configure?.Invoke(request) ?? request;
        var tail = new OutputTail(TailBytes);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await sandbox.RunAsync(request, async bytes =>
        {
            watch?.Invoke(bytes);
            tail.Add(bytes.Span);
            await log.WriteAsync(bytes);
        }, stop);
        logBytes += result.OutputBytes;
        await log.LineAsync($"{step} took {clock.Elapsed.TotalSeconds:0.00}s");
        switch (result.Outcome)
        {
            case SandboxOutcome.FailedToStart:
                throw new JobErrorException($"the sandbox could not start for {step}: {result.StartProblem}");
            case SandboxOutcome.TimedOut:
                throw new JobFailedException($"timed out after {lease.TimeoutSeconds}s during {step}; the build was stopped");
            case SandboxOutcome.OutputLimitExceeded:
                throw new JobFailedException($"the build log passed its limit of {lease.LogLimitBytes} bytes during {step}; the build was stopped");
            case SandboxOutcome.Stopped:
                stop.ThrowIfCancellationRequested();
                throw new OperationCanceledException(stop);
            case SandboxOutcome.Exited when result.ExitCode != 0 && alsoFine?.Contains(result.ExitCode) != true:
                var output = tail.ToString();
                if (notThePackagesFault?.Invoke(output) is { } reason)
                {
                    throw new JobErrorException($"{step} failed: {reason}");
                }

                if (output.Contains("No space left on device", StringComparison.Ordinal) || output.Contains("Disk quota exceeded", StringComparison.Ordinal))
                {
                    throw new JobErrorException($"{step} failed: the worker ran out of disk space");
                }

                if (whyItFailed?.Invoke(output) is { } why)
                {
                    throw new JobFailedException($"{step} failed: {why}");
                }

                throw new JobFailedException($"{step} failed with exit code {result.ExitCode}; the end of the build log says why");
        }

        return result.ExitCode;
    }

    private async Task UploadAsync(string kind, string path, CancellationToken stop)
    {
        try
        {
            await transfer.UploadArtifactAsync(kind, path, stop);
        }
        catch (ForgelineApiException e) when ((int)e.Status is >= 400 and < 500 && e.Status != System.Net.HttpStatusCode.Conflict)
        {
            // Refused for what it is (too large, not an RPM): uploading it again elsewhere would not help.
            throw new JobFailedException($"the server refused {Path.GetFileName(path)}: {e.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or ForgelineApiException && !stop.IsCancellationRequested)
        {
            throw new JobErrorException($"could not upload {Path.GetFileName(path)} to the server: {e.Message}", e);
        }
    }
}
