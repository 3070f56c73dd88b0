using System.Net;
using Forgeline.Core.Client;
using Forgeline.Core.Workers;
using Forgeline.Worker.Sandbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Worker;

/// <summary>
/// The worker's main loop, one per slot: long-poll the server for a job, run it while heartbeating its lease, report
/// the outcome. A job's failure never ends the loop; on shutdown the running job is handed back to the queue.
/// </summary>
public sealed partial class BuildAgent(IOptions<WorkerOptions> options, Func<ForgelineClient> clientFactory, ILogger<BuildAgent> logger) : BackgroundService
{
    // New for every worker process, so the server can tell a restart from a slow heartbeat.
    private readonly string session = Guid.NewGuid().ToString("N");

    private WorkerOptions Options => options.Value;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(Options.WorkDirectory);
        LogStarted(Options.Name, Options.Arch, Options.Slots, clientFactory().Server);
        return Task.WhenAll(Enumerable.Range(0, Options.Slots).Select(slot => Task.Run(() => SlotLoopAsync(stoppingToken), CancellationToken.None)));
    }

    private async Task SlotLoopAsync(CancellationToken stoppingToken)
    {
        using var client = clientFactory();
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var lease = await client.LeaseAsync(new LeaseRequest(Options.Name, Options.Arch, Options.Slots, WaitSeconds: 25, session), stoppingToken);
                backoff = TimeSpan.FromSeconds(1);
                if (lease is not null)
                {
                    await RunJobAsync(client, lease, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or ForgelineApiException or IOException or TaskCanceledException)
            {
                LogServerUnreachable(e.Message, backoff.TotalSeconds);
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromSeconds(Math.Min(30, backoff.TotalSeconds * 2));
            }
        }
    }

    private async Task RunJobAsync(ForgelineClient client, JobLease lease, CancellationToken stoppingToken)
    {
        var workDirectory = Path.Combine(Options.WorkDirectory, $"build-{lease.BuildId}-{lease.Attempt}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(workDirectory);
        using var job = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var canceledByUser = false;
        var leaseLost = false;
        using var beatStop = new CancellationTokenSource();
        var heartbeat = Task.Run(async () =>
        {
            var interval = TimeSpan.FromSeconds(Math.Clamp(lease.LeaseSeconds / 4.0, 0.5, 5));
            while (!beatStop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(interval, beatStop.Token);
                    var beat = await client.HeartbeatAsync(lease.LeaseId, beatStop.Token);
                    if (beat.CancelRequested)
                    {
                        canceledByUser = true;
                        await job.CancelAsync();
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (ForgelineApiException e) when (e.Status == HttpStatusCode.Conflict)
                {
                    leaseLost = true;
                    await job.CancelAsync();
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or ForgelineApiException)
                {
                    LogHeartbeatFailed(lease.BuildId, e.Message);
                }
            }
        }, CancellationToken.None);

        var log = new JobLog(client, lease.LeaseId, initialLength: 0);
        CompleteJobRequest? outcome = null;
        try
        {
            LogJobStarted(lease.BuildId, lease.Attempt);
            await using (log)
            {
                await log.LineAsync($"worker {Options.Name} ({Options.Arch}) building {lease.Source.Describe()}, attempt {lease.Attempt}");
                try
                {
                    var runner = new BuildRunner(client, new BubblewrapSandbox(Options.Bubblewrap), lease, log, workDirectory);
                    var package = await runner.RunAsync(job.Token);
                    await log.LineAsync("build succeeded");
                    outcome = new CompleteJobRequest(JobOutcome.Succeeded, null, package);
                }
                catch (JobFailedException failure)
                {
                    await log.LineAsync($"build failed: {failure.Message}");
                    outcome = new CompleteJobRequest(JobOutcome.Failed, failure.Message, null);
                }
                catch (OperationCanceledException) when (canceledByUser)
                {
                    await log.LineAsync("build canceled by the user");
                    outcome = new CompleteJobRequest(JobOutcome.Canceled, null, null);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested && !leaseLost)
                {
                    // No outcome: below, the job is released and queued again for the next worker.
                    await log.LineAsync($"worker {Options.Name} is shutting down; the build goes back to the queue");
                }
                catch (Exception e) when (e is not OperationCanceledException && !leaseLost)
                {
                    // A bug or an unexpected environment problem: fail this build with the reason, keep the worker alive.
                    LogJobCrashed(e, lease.BuildId);
                    await log.LineAsync($"worker error: {e.Message}");
                    outcome = new CompleteJobRequest(JobOutcome.Failed, $"worker error: {e.Message}", null);
                }

                await log.FlushAsync();
            }

            await beatStop.CancelAsync();
            await heartbeat;
            if (leaseLost)
            {
                LogLeaseLost(lease.BuildId);
            }
            else if (outcome is not null)
            {
                await client.CompleteAsync(lease.LeaseId, outcome, CancellationToken.None);
                LogJobFinished(lease.BuildId, outcome.Outcome.ToString());
            }
            else if (stoppingToken.IsCancellationRequested)
            {
                await client.ReleaseAsync(lease.LeaseId, CancellationToken.None);
                LogJobReleased(lease.BuildId);
            }
        }
        catch (Exception e) when (e is HttpRequestException or ForgelineApiException)
        {
            // The server will see the lease lapse and queue the build again; nothing is lost.
            LogReportFailed(lease.BuildId, e.Message);
        }
        finally
        {
            await beatStop.CancelAsync();
            TryDelete(workDirectory);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} ({Arch}, {Slots} slots) asking {Server} for work")]
    private partial void LogStarted(string worker, string arch, int slots, Uri server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server unreachable ({Error}); retrying in {Seconds}s")]
    private partial void LogServerUnreachable(string error, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} attempt {Attempt} started")]
    private partial void LogJobStarted(long buildId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} finished: {Outcome}")]
    private partial void LogJobFinished(long buildId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Build {BuildId}: the server took the lease back; the result is dropped")]
    private partial void LogLeaseLost(long buildId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Build {BuildId} handed back to the queue at shutdown")]
    private partial void LogJobReleased(long buildId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Build {BuildId}: heartbeat failed ({Error})")]
    private partial void LogHeartbeatFailed(long buildId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Build {BuildId}: unexpected worker error")]
    private partial void LogJobCrashed(Exception exception, long buildId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Build {BuildId}: could not report the outcome ({Error}); the lease will lapse and the build run again")]
    private partial void LogReportFailed(long buildId, string error);
}
