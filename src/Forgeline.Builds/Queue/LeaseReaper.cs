using Forgeline.Core.Builds;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
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
    QueueSignal queueSignal,
    Logs.BuildLogStore logs,
    IOptions<BuildsOptions> options,
    TimeProvider time,
    ILogger<LeaseReaper> logger) : BackgroundService
{
    /// <summary>Handles every lease that has lapsed by now; returns how many builds it moved.</summary>
    public async Task<int> ReapAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var lapsed = await LeaseRecovery.FindAsync(db, b => b.LeaseExpiresAt < now, cancellationToken);
        var moved = 0;
        foreach (var build in lapsed)
        {
            var why = $"worker {build.WorkerName} was lost (its lease expired) during attempt {build.Attempt}";
            if (await LeaseRecovery.TakeBackAsync(db, build, why, options.Value.MaxAttempts, now, cancellationToken) is { } state)
            {
                moved++;
                logs.Notify(build.Id);
                LogReaped(build.Id, build.WorkerName, state.ToApiName());
            }
        }

        if (moved > 0)
        {
            queueSignal.Pulse();
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
                LogReapFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Build {BuildId}: lease of worker {Worker} expired; now {State}")]
    private partial void LogReaped(long buildId, string? worker, string state);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for expired leases failed; will try again")]
    private partial void LogReapFailed(Exception exception);
}
