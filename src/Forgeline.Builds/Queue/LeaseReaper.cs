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
    /// <summary>Handles every lease that has lapsed by now; returns how many builds it moved.</summary>
    public async Task<int> ReapAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var recovery = scope.ServiceProvider.GetRequiredService<LeaseRecovery>();
        var now = time.GetUtcNow().UtcDateTime;
        if (storage.LastFaultAt is { } fault && now < fault.AddSeconds(options.Value.LeaseSeconds))
        {
            // A write on this server ran out of space a moment ago: workers may have failed to renew or report because of
            // it. Their leases are left to them for one lease after the last such failure, so that results built
            // meanwhile are still accepted once space is back.
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
