using Forgeline.Core.Builds;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Builds.Queue;

/// <summary>
/// Takes a running build back from a worker that is gone (its lease lapsed, or it came back as a new process): queued
/// again, or failed after the last attempt, or canceled when the user had asked. The one place this decision lives.
/// </summary>
public static class LeaseRecovery
{
    /// <summary>A running build as the recovery needs it.</summary>
    public sealed record LostLease(long Id, string LeaseId, int Attempt, string? WorkerName, bool CancelRequested);

    /// <summary>Running builds of <paramref name="worker"/> (all workers when null) matching <paramref name="filter"/>.</summary>
    public static Task<List<LostLease>> FindAsync(ForgelineDbContext db, System.Linq.Expressions.Expression<Func<Data.Entities.BuildRecord, bool>> filter, CancellationToken cancellationToken) =>
        db.Builds.AsNoTracking().Where(b => b.State == BuildState.Running && b.LeaseId != null).Where(filter)
            .Select(b => new LostLease(b.Id, b.LeaseId!, b.Attempt, b.WorkerName, b.CancelRequested))
            .ToListAsync(cancellationToken);

    /// <summary>Moves the build on; returns its new state, or null when the lease was renewed or completed first.</summary>
    public static async Task<BuildState?> TakeBackAsync(ForgelineDbContext db, LostLease build, string why, int maxAttempts, DateTime now, CancellationToken cancellationToken)
    {
        var (state, reason) = build switch
        {
            { CancelRequested: true } => (BuildState.Canceled, $"canceled; {why}"),
            _ when build.Attempt >= maxAttempts => (BuildState.Failed, $"{why}; giving up after {build.Attempt} attempts"),
            _ => (BuildState.Queued, $"{why}; queued again"),
        };
        // Matching the lease id makes this lose any race with a heartbeat or completion that got in first.
        var lease = db.Builds.Where(b => b.Id == build.Id && b.LeaseId == build.LeaseId && b.State == BuildState.Running);
        var updated = state == BuildState.Queued
            ? await lease.ExecuteUpdateAsync(s => s
                .SetProperty(b => b.State, state).SetProperty(b => b.Reason, reason)
                .SetProperty(b => b.LeaseId, (string?)null).SetProperty(b => b.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(b => b.StartedAt, (DateTime?)null), cancellationToken)
            : await lease.ExecuteUpdateAsync(s => s
                .SetProperty(b => b.State, state).SetProperty(b => b.Reason, reason)
                .SetProperty(b => b.LeaseId, (string?)null).SetProperty(b => b.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(b => b.FinishedAt, now), cancellationToken);
        return updated == 1 ? state : null;
    }
}
