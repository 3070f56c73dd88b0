using System.Net;
using Forgeline.Core.Client;
using Forgeline.Core.Workers;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;
using Forgeline.Worker.Toolchain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Worker;

/// <summary>
/// The worker's main loop, one per slot: long-poll the server for a job, run it while heartbeating its lease, report
/// the outcome. A job's failure never ends the loop; on shutdown the running job is handed back to the queue.
/// </summary>
/// <param name="options">The worker's settings.</param>
/// <param name="clientFactory">Makes a client of the server (one per slot).</param>
/// <param name="logger">The worker's log.</param>
/// <param name="environmentProbe">Reads the toolchain for the environment's name; the host's by default.</param>
/// <param name="timeProvider">The clock of heartbeats, log sends, backoffs and deadlines; the system's by default.</param>
public sealed partial class BuildAgent(
    IOptions<WorkerOptions> options, Func<ForgelineClient> clientFactory, ILogger<BuildAgent> logger, IBuildEnvironmentProbe? environmentProbe = null, TimeProvider? timeProvider = null)
    : BackgroundService
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    // The longest a lease request may wait on the server (LeaseRequest.WaitSeconds).
    private const int MaxLeaseWaitSeconds = 60;

    // New for every worker process, so the server can tell a restart from a slow heartbeat.
    private readonly string session = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim preparing = new(1, 1);
    private readonly HttpClient rootHttp = new();

    // What making build roots runs on the host: dnf (and rpm) to install, unshare to mount overlays, createrepo_c for the job's own RPMs.
    private static readonly string[] RootTools = ["dnf", "unshare", "createrepo_c"];

    // What image jobs run on the host: QEMU and qemu-img, and what packing an image and a repository disk need.
    private static readonly string[] ImageTools = ["qemu-system-x86_64", "qemu-img", "xorriso", "mkfs.ext4", "mkfs.vfat", "mcopy", "sfdisk", "syslinux", "cpio"];
    private Prepared? prepared;

    private WorkerOptions Options => options.Value;

    /// <summary>The build environment's name, once the agent has started (computed, or as configured).</summary>
    public string? Environment => prepared?.Environment;

    /// <summary>Leases at most one job, waiting up to <paramref name="wait"/> for it, runs it and reports it.</summary>
    public async Task<SingleJobResult> RunOnceAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        var setup = await PrepareAsync(stoppingToken);
        using var client = clientFactory();
        var deadline = time.GetUtcNow() + wait;
        var backoff = TimeSpan.FromSeconds(1);
        string? unreachable = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            try
            {
                var waitSeconds = (int)Math.Clamp(Math.Ceiling(left.TotalSeconds), 1, MaxLeaseWaitSeconds);
                var lease = await client.LeaseAsync(LeaseRequest(setup, waitSeconds), stoppingToken);
                unreachable = null;
                if (lease is not null)
                {
                    await RunJobAsync(client, lease, setup, askForNext: false, stoppingToken);
                    return SingleJobResult.RanJob;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or ForgelineApiException or IOException or TaskCanceledException)
            {
                unreachable = e.Message;
                LogServerUnreachable(e.Message, backoff.TotalSeconds);
                await Task.Delay(backoff < left ? backoff : left, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                // At most 10 s: a server that answered 5xx (a full disk, say) may take work again any moment.
                backoff = TimeSpan.FromSeconds(Math.Min(10, backoff.TotalSeconds * 2));
            }
        }

        return unreachable is null ? SingleJobResult.NoJob : SingleJobResult.ServerUnreachable;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var setup = await PrepareAsync(stoppingToken);
        LogStarted(Options.Name, Options.Arch, Options.Slots, clientFactory().Server);
        await Task.WhenAll(Enumerable.Range(0, Options.Slots).Select(slot => Task.Run(() => SlotLoopAsync(setup, stoppingToken), CancellationToken.None)));
    }

    /// <summary>Once per process: the work directory, the environment's name and the compiler cache.</summary>
    private async Task<Prepared> PrepareAsync(CancellationToken cancellationToken)
    {
        await preparing.WaitAsync(cancellationToken);
        try
        {
            if (prepared is null)
            {
                Directory.CreateDirectory(Options.WorkDirectory);
                var (removed, left) = WorkTree.RemoveLeftovers(Options.WorkDirectory);
                if (removed > 0 || left.Count > 0)
                {
                    LogLeftovers(removed, Options.WorkDirectory, left.Count == 0 ? "" : $"; could not remove {string.Join(", ", left)}");
                }

                var environment = Options.Environment ?? await BuildEnvironment.ComputeAsync(environmentProbe ?? new HostBuildEnvironmentProbe(), cancellationToken);
                var (cache, cacheStatus) = CompilerCache.ForWorker(Options, environment);
                var roots = OpenRootCache();
                var (images, labels) = OpenImages(roots);
                LogEnvironment(environment, Options.Environment is null ? "computed from the toolchain" : "configured", labels.Count == 0 ? "none" : string.Join(", ", labels), cacheStatus);
                prepared = new Prepared(environment, cache, roots, images, labels);
            }

            return prepared;
        }
        finally
        {
            preparing.Release();
        }
    }

    /// <summary>The root cache, when this worker builds in targets' roots and can: dnf installed, the cache its own.</summary>
    private BuildRootHost? OpenRootCache()
    {
        if (!Options.BuildRoots)
        {
            LogRoots("off (Forgeline:Worker:BuildRoots)");
            return null;
        }

        if (RootTools.FirstOrDefault(e => !ExecutableExists(e)) is { } missing)
        {
            LogRoots($"off: {missing} is not installed (Debian packages dnf, util-linux, createrepo-c), so only builds without a target come here");
            return null;
        }

        var directory = Options.RootCacheDirectory ?? Path.Combine(Options.WorkDirectory, "root-cache");
        try
        {
            var cache = new RootCache(directory, (long)Options.RootCachePackagesMegabytes * 1024 * 1024);
            using var client = clientFactory();
            LogRoots($"on, cache {cache.Directory} (downloaded RPMs up to {Options.RootCachePackagesMegabytes} MiB per target)");
            return new BuildRootHost(cache, rootHttp, client.Server, client.Token);
        }
        catch (IOException e)
        {
            LogRoots($"off: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Whether this worker runs image jobs, and its labels: the configured ones, plus <c>qemu</c> when it has QEMU and the
    /// image tools (and a root cache, for dnf), plus <c>kvm</c> when VMs get KVM here.
    /// </summary>
    private (ImageRunnerOptions? Images, IReadOnlyList<string> Labels) OpenImages(BuildRootHost? roots)
    {
        var labels = new List<string>(Options.Labels);
        if (!Options.Images)
        {
            LogImages("off (Forgeline:Worker:Images)");
            return (null, labels);
        }

        if (ImageTools.FirstOrDefault(e => !ExecutableExists(e)) is { } missing)
        {
            LogImages($"off: {missing} is not installed (Debian packages qemu-system-x86, qemu-utils, xorriso, e2fsprogs, dosfstools, mtools, fdisk, syslinux, cpio)");
            return (null, labels);
        }

        if (roots is null)
        {
            LogImages("off: image builds install with dnf into a root, and this worker makes no roots");
            return (null, labels);
        }

        var accelerator = Enum.Parse<Forgeline.Images.Vm.VmAccelerator>(Options.VmAccelerator, ignoreCase: true);
        var kvm = Forgeline.Images.Vm.QemuCommand.Resolve(accelerator) == Forgeline.Images.Vm.VmAccelerator.Kvm;
        foreach (var label in kvm ? new[] { Core.Images.ImageJobSpec.QemuLabel, Core.Images.ImageJobSpec.KvmLabel } : [Core.Images.ImageJobSpec.QemuLabel])
        {
            if (!labels.Contains(label, StringComparer.Ordinal))
            {
                labels.Add(label);
            }
        }

        var vm = new Forgeline.Images.Vm.VmRunnerOptions { Accelerator = accelerator, BwrapPath = Options.Bubblewrap };
        LogImages($"on: VMs under {(kvm ? "KVM" : "TCG (no usable /dev/kvm: slow, fine for small images)")}");
        return (new ImageRunnerOptions(vm, Path.Combine(roots.Cache.Directory, "vmlinux")), labels);
    }

    private static bool ExecutableExists(string name) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, name)));

    /// <inheritdoc />
    public override void Dispose()
    {
        prepared?.Roots?.Cache.Dispose();
        rootHttp.Dispose();
        base.Dispose();
    }

    private LeaseRequest LeaseRequest(Prepared setup, int waitSeconds) =>
        new(Options.Name, Options.Arch, Options.Slots, waitSeconds, session,
            setup.Images is { KvmFailed: true } ? [.. setup.Labels.Where(l => l != Core.Images.ImageJobSpec.KvmLabel)] : setup.Labels, setup.Environment, BuildRoots: setup.Roots is not null);

    private async Task SlotLoopAsync(Prepared setup, CancellationToken stoppingToken)
    {
        using var client = clientFactory();
        var backoff = TimeSpan.FromSeconds(1);
        JobLease? next = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A job handed over with the last completion needs no lease request of its own.
                var lease = next ?? await client.LeaseAsync(LeaseRequest(setup, waitSeconds: 25), stoppingToken);
                next = null;
                backoff = TimeSpan.FromSeconds(1);
                if (lease is not null)
                {
                    next = await RunJobAsync(client, lease, setup, askForNext: true, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or ForgelineApiException or IOException or TaskCanceledException)
            {
                LogServerUnreachable(e.Message, backoff.TotalSeconds);
                await Task.Delay(backoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                // At most 10 s: a server that answered 5xx (a full disk, say) may take work again any moment.
                backoff = TimeSpan.FromSeconds(Math.Min(10, backoff.TotalSeconds * 2));
            }
        }

        if (next is not null)
        {
            // Handed over with the last completion as the worker began to stop: back to the queue at once.
            await HandBackAsync(client, next);
        }
    }

    private async Task HandBackAsync(ForgelineClient client, JobLease lease)
    {
        try
        {
            await client.ReleaseAsync(lease.LeaseId, CancellationToken.None);
            LogJobReleased(lease.BuildId);
        }
        catch (Exception e) when (e is HttpRequestException or ForgelineApiException or IOException)
        {
            LogReportFailed(lease.BuildId, e.Message);
        }
    }

    /// <summary>Runs one job and reports it; returns the next job when <paramref name="askForNext"/> and the server handed one over.</summary>
    private async Task<JobLease?> RunJobAsync(ForgelineClient client, JobLease lease, Prepared setup, bool askForNext, CancellationToken stoppingToken)
    {
        // Made by the runner, so that failing to make it (disk full) is reported like any other failure.
        var workDirectory = Path.Combine(Options.WorkDirectory, $"build-{lease.BuildId}-{lease.Attempt}-{Guid.NewGuid():N}"[..40]);
        CompleteJobRequest? outcome = null;
        BuildRunner? runner = null;
        IReadOnlyList<StoredArtifact> stored = [];
        var heartbeat = new LeaseHeartbeat(client, lease, logger, stoppingToken, time);
        try
        {
            LogJobStarted(lease.BuildId, lease.Attempt);
            (long Offset, byte[] Bytes)? tail = null;
            await using (var log = new JobLog(client, lease.LeaseId, initialLength: 0, time))
            {
                await log.LineAsync($"worker {Options.Name} ({Options.Arch}, environment {setup.Environment}) building {lease.Source.Describe()}, attempt {lease.Attempt}");
                try
                {
                    runner = new BuildRunner(new ServerJobTransfer(client, lease.LeaseId, log, time), new BubblewrapSandbox(Options.Bubblewrap), lease, log, workDirectory, setup.CompilerCache, time, setup.Roots, setup.Images);
                    var package = await runner.RunAsync(heartbeat.JobToken);
                    stored = runner.StoredArtifacts;
                    await log.LineAsync("build succeeded");
                    outcome = new CompleteJobRequest(JobOutcome.Succeeded, null, package);
                }
                catch (OperationCanceledException) when (heartbeat.CancelRequested)
                {
                    await log.LineAsync("build canceled by the user");
                    outcome = new CompleteJobRequest(JobOutcome.Canceled, null, null);
                }
                catch (Exception) when (heartbeat.LeaseLost)
                {
                    // Whatever broke, the job is someone else's now: no outcome is reported.
                    await log.LineAsync("the server took the lease back; stopping");
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    // No outcome: below, the job is released and queued again for the next worker.
                    await log.LineAsync($"worker {Options.Name} is shutting down; the build goes back to the queue");
                }
                catch (Exception e)
                {
                    var (result, reason, unexpected) = JobFailure.Classify(e);
                    if (unexpected)
                    {
                        LogJobCrashed(e, lease.BuildId);
                    }

                    await log.LineAsync(result == JobOutcome.Failed ? $"build failed: {reason}" : $"build error (not the package's fault; it will be retried): {reason}");
                    outcome = new CompleteJobRequest(result, reason, null);
                }

                if (outcome is not null && !heartbeat.LeaseLost && lease.Protocol >= JobLease.CompleteCarriesMore)
                {
                    // The completion carries the last log bytes: one request fewer per build.
                    tail = await log.DetachTailAsync();
                }
                else
                {
                    await log.FlushAsync();
                }
            }

            // The heartbeat goes on while the outcome is reported: a server that cannot take it yet keeps the lease alive.
            if (outcome is not null && lease.Protocol >= JobLease.CompleteCarriesMore)
            {
                outcome = outcome with
                {
                    LogOffset = tail?.Offset,
                    LogTail = tail is { Bytes.Length: > 0 } t ? t.Bytes : null,
                    StoredArtifacts = stored.Count > 0 ? stored : null,
                    Root = runner?.RootReport,
                    Next = askForNext && !stoppingToken.IsCancellationRequested ? LeaseRequest(setup, waitSeconds: 0) : null,
                };
            }

            return await ReportAsync(client, lease, outcome, heartbeat, stoppingToken);
        }
        catch (Exception e) when (e is HttpRequestException or ForgelineApiException or IOException)
        {
            // The server will see the lease lapse and queue the build again; nothing is lost.
            LogReportFailed(lease.BuildId, e.Message);
            return null;
        }
        finally
        {
            await heartbeat.DisposeAsync();
            TryDelete(workDirectory);
        }
    }

    /// <summary>
    /// Reports the outcome; a server that cannot take it for now (its disk is full, it restarts) is asked again with a
    /// growing pause while the lease holds, for up to <see cref="ServerJobTransfer.Patience"/>, and the work directory with
    /// the built files stays until it is accepted.
    /// </summary>
    private async Task<JobLease?> ReportAsync(ForgelineClient client, JobLease lease, CompleteJobRequest? outcome, LeaseHeartbeat heartbeat, CancellationToken stoppingToken)
    {
        if (heartbeat.LeaseLost)
        {
            LogLeaseLost(lease.BuildId);
        }
        else if (outcome is not null)
        {
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, heartbeat.LeaseLostToken);
            CompleteJobResult? result;
            try
            {
                // Each try runs to its end even when the worker is stopping; only the waits between tries are cut short.
                result = await ServerRetry.RunAsync(
                    _ => client.CompleteAsync(lease.LeaseId, outcome, CancellationToken.None),
                    ServerJobTransfer.Patience,
                    (e, pause) =>
                    {
                        LogReportRetry(lease.BuildId, e.Message, pause.TotalSeconds);
                        return Task.CompletedTask;
                    },
                    time,
                    giveUp.Token);
            }
            catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
            {
                // The lease was taken back or the worker stops: the server queues the build again; nothing is lost.
                LogReportFailed(lease.BuildId, heartbeat.LeaseLost ? "the server took the lease back" : "the worker is stopping");
                return null;
            }

            if (outcome.Reason is null)
            {
                LogJobFinished(lease.BuildId, outcome.Outcome.ToString());
            }
            else
            {
                LogJobFinishedBecause(lease.BuildId, outcome.Outcome.ToString(), outcome.Reason);
            }

            return result?.Next;
        }
        else if (stoppingToken.IsCancellationRequested)
        {
            await client.ReleaseAsync(lease.LeaseId, CancellationToken.None);
            LogJobReleased(lease.BuildId);
        }

        return null;
    }

    private static void TryDelete(string directory) => WorkTree.Remove(directory);

    /// <summary>What every job of this process shares.</summary>
    private sealed record Prepared(string Environment, CompilerCache? CompilerCache, BuildRootHost? Roots, ImageRunnerOptions? Images, IReadOnlyList<string> Labels);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} work directories an earlier worker process left in {Directory}{Problem}")]
    private partial void LogLeftovers(int count, string directory, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} ({Arch}, {Slots} slots) asking {Server} for work")]
    private partial void LogStarted(string worker, string arch, int slots, Uri server);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build environment {Environment} ({How}); labels: {Labels}; {CompilerCache}")]
    private partial void LogEnvironment(string environment, string how, string labels, string compilerCache);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server unreachable ({Error}); retrying in {Seconds}s")]
    private partial void LogServerUnreachable(string error, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} attempt {Attempt} started")]
    private partial void LogJobStarted(long buildId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} finished: {Outcome}")]
    private partial void LogJobFinished(long buildId, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} finished: {Outcome} ({Reason})")]
    private partial void LogJobFinishedBecause(long buildId, string outcome, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Build {BuildId}: the server did not take the outcome ({Error}); asking again in {Seconds}s")]
    private partial void LogReportRetry(long buildId, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Build {BuildId}: the server took the lease back; the result is dropped")]
    private partial void LogLeaseLost(long buildId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build roots: {Status}")]
    private partial void LogRoots(string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Image jobs: {Status}")]
    private partial void LogImages(string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} handed back to the queue at shutdown")]
    private partial void LogJobReleased(long buildId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Build {BuildId}: unexpected worker error")]
    private partial void LogJobCrashed(Exception exception, long buildId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Build {BuildId}: could not report the outcome ({Error}); the lease will lapse and the build run again")]
    private partial void LogReportFailed(long buildId, string error);
}
