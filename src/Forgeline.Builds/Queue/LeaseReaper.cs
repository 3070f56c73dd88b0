using Forgeline.Core.Builds;
using Forgeline.Data.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Builds.Queue;

/// <summary>
/// Finds running builds whose lease lapsed (the worker died or lost the network) and queues them again, or fails them
/// after <see cref="BuildsOptions.MaxAttempts"/> lost workers. Runs on <see cref="TimeProvider"/> so tests use fake time.
/// </summary>
public sealed partial class LeaseReaper(
    IServiceScopeFactory scopes,
    IOptions<BuildsOptions> options,
    StorageHealth storage,
    TimeProvider time,
    ILogger<LeaseReaper> logger) : BackgroundService
{
    // When this process started reaping: before it, nobody heard the workers' heartbeats.
    private DateTime? listeningSince;

    /// <summary>Handles every lease that has lapsed by now; returns how many builds it moved.</summary>
    public async Task<int> ReapAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var recovery = scope.ServiceProvider.GetRequiredService<LeaseRecovery>();
        var now = time.GetUtcNow().UtcDateTime;
        // Workers could not renew while this server was down (it just started) or while its writes failed for want of
        // space: a lease that lapsed then says nothing about the worker. Leases are left to their workers for one lease
        // after the start and after the last such failure, so a living worker renews and reports, and only a dead one
        // loses its build.
        var deaf = new[] { listeningSince, storage.LastFaultAt }.Max();
        if (deaf is { } since && now < since.AddSeconds(options.Value.LeaseSeconds))
        {
            return 0;
        }

        var lapsed = await recovery.FindAsync(b => b.LeaseExpiresAt < now, cancellationToken);
        var moved = 0;
        foreach (var build in lapsed)
        {
            var why = $"worker {build.WorkerName} was lost (its lease expired) during attempt {build.Attempt}";
            if (await recovery.TakeBackAsync(build, why, LeaseRecovery.Mode.Lost, now, cancellationToken) is { } state)
            {
                moved++;
                LogReaped(build.Id, build.WorkerName, state.ToApiName());
            }
        }

        return moved;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        listeningSince = time.GetUtcNow().UtcDateTime;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ReapIntervalSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReapAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (StorageFailure.Find(e) is not null)
                {
                    storage.NoteFault();
                }

                LogReapFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Build {BuildId}: lease of worker {Worker} expired; now {State}")]
    private partial void LogReaped(long buildId, string? worker, string state);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for expired leases failed; will try again")]
    private partial void LogReapFailed(Exception exception);
}
