using System.Net;
using Forgeline.Core.Client;
using Forgeline.Core.Workers;
using Microsoft.Extensions.Logging;

namespace Forgeline.Worker;

/// <summary>
/// Renews a job's lease while it runs and stops the job (<see cref="JobToken"/>) as soon as the user cancels it, the
/// server takes the lease back, or the worker shuts down. Heartbeats are frequent (<see cref="Interval"/>) because
/// they are how a cancel reaches the build.
/// </summary>
public sealed partial class LeaseHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource job;
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource lost = new();
    private readonly Task loop;
    private readonly TimeProvider time;
    private int disposed;

    /// <summary>Starts heartbeating <paramref name="lease"/>; <paramref name="stoppingToken"/> is the worker's shutdown.</summary>
    /// <param name="client">The server.</param>
    /// <param name="lease">The job's lease.</param>
    /// <param name="logger">Where failed heartbeats are logged.</param>
    /// <param name="stoppingToken">The worker's shutdown.</param>
    /// <param name="time">The clock between heartbeats; the system's by default.</param>
    public LeaseHeartbeat(ForgelineClient client, JobLease lease, ILogger logger, CancellationToken stoppingToken, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        job = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        loop = Task.Run(() => BeatAsync(client, lease, logger), CancellationToken.None);
    }

    /// <summary>Cancelled when the job must stop.</summary>
    public CancellationToken JobToken => job.Token;

    /// <summary>The user cancelled the build.</summary>
    public bool CancelRequested { get; private set; }

    /// <summary>The server took the lease back (409): this worker's result no longer counts.</summary>
    public bool LeaseLost { get; private set; }

    /// <summary>Cancelled when the server takes the lease back (and only then).</summary>
    public CancellationToken LeaseLostToken => lost.Token;

    /// <summary>Time between heartbeats: a quarter of the lease, at most 2 s, so a cancel reaches the build within about 2 s.</summary>
    public static TimeSpan Interval(int leaseSeconds) => TimeSpan.FromSeconds(Math.Clamp(leaseSeconds / 4.0, 0.25, 2));

    /// <summary>Stops heartbeating (the job is over); safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync();
        await loop;
        stop.Dispose();
        lost.Dispose();
        job.Dispose();
    }

    private async Task BeatAsync(ForgelineClient client, JobLease lease, ILogger logger)
    {
        var interval = Interval(lease.LeaseSeconds);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stop.Token);
                var beat = await client.HeartbeatAsync(lease.LeaseId, stop.Token);
                if (beat.CancelRequested)
                {
                    CancelRequested = true;
                    // Cancelling the token kills the sandbox at once (BubblewrapSandbox.RunAsync watches it).
                    await job.CancelAsync();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ForgelineApiException e) when (e.Status == HttpStatusCode.Conflict)
            {
                LeaseLost = true;
                await lost.CancelAsync();
                await job.CancelAsync();
                return;
            }
            catch (Exception e) when (e is HttpRequestException or ForgelineApiException or IOException or OperationCanceledException)
            {
                // The server may be restarting; the lease holds for a while, so keep trying.
                LogHeartbeatFailed(logger, lease.BuildId, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Build {BuildId}: heartbeat failed ({Error})")]
    private static partial void LogHeartbeatFailed(ILogger logger, long buildId, string error);
}
