using System.Linq.Expressions;
using Forgeline.Builds.Logs;
using Forgeline.Builds.Scheduling;
using Forgeline.Core.Builds;
using Forgeline.Data;
using Forgeline.Data.Storage;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forgeline.Builds.Queue;

/// <summary>
/// Takes a running build back from a worker: queued again (after a backoff), failed after the last attempt, or
/// canceled when the user had asked. Used when a worker is lost (lease lapsed), restarts, reports an error that is
/// not the package's fault, shuts down, or is disabled. The one place this decision lives.
/// </summary>
public sealed class LeaseRecovery(ForgelineDbContext db, FarmEvents events, IOptions<BuildsOptions> options, StorageHealth storage)
{
    /// <summary>A running build as the recovery needs it.</summary>
    public sealed record LostLease(long Id, string LeaseId, int Attempt, string? WorkerName, bool CancelRequested, string Owner)
    {
        /// <summary>When the attempt started; a server write that ran out of space since then makes the attempt not count.</summary>
        public DateTime? StartedAt { get; init; }
    }

    /// <summary>How a build is taken back.</summary>
    public enum Mode
    {
        /// <summary>Its worker failed: the attempt counts, and the build waits out a backoff before it runs again.</summary>
        Retry,

        /// <summary>
        /// Its worker was lost (the lease lapsed): the attempt counts, but the build has already waited the lease out,
        /// so it may start again at once, and being older it goes before the owner's newer builds.
        /// </summary>
        Lost,

        /// <summary>Its worker came back as a new process: the attempt counts, but the build may start again at once.</summary>
        Restarted,

        /// <summary>Its worker handed it back (shutting down, or disabled by an admin): queued at once, the attempt does not count.</summary>
        HandBack,
    }

    /// <summary>Running builds matching <paramref name="filter"/>.</summary>
    public Task<List<LostLease>> FindAsync(Expression<Func<BuildRecord, bool>> filter, CancellationToken cancellationToken) =>
        db.Builds.AsNoTracking().Where(b => b.State == BuildState.Running && b.LeaseId != null).Where(filter)
            .Select(b => new LostLease(b.Id, b.LeaseId!, b.Attempt, b.WorkerName, b.CancelRequested, b.Owner) { StartedAt = b.StartedAt })
            .ToListAsync(cancellationToken);

    /// <summary>Moves the build on; returns its new state, or null when the lease was renewed or completed first.</summary>
    public async Task<BuildState?> TakeBackAsync(LostLease build, string why, Mode mode, DateTime now, CancellationToken cancellationToken)
    {
        // A worker that failed or went silent while this server could not write for want of space was likely failed by
        // the server (its upload or report refused): that attempt does not count against the build.
        var serverFault = mode is Mode.Retry or Mode.Lost && build.StartedAt is { } started && storage.FaultedSince(started);
        var (state, reason) = build switch
        {
            { CancelRequested: true } => (BuildState.Canceled, $"canceled; {why}"),
            _ when serverFault => (BuildState.Queued, $"{why}; the server ran out of space meanwhile, so the attempt does not count; queued again"),
            _ when mode != Mode.HandBack && build.Attempt >= options.Value.MaxAttempts => (BuildState.Failed, $"{why}; giving up after {build.Attempt} attempts"),
            _ => (BuildState.Queued, $"{why}; queued again"),
        };
        // A server fault waits the first backoff whatever the attempt: space may take a while to come back.
        DateTime? notBefore = state != BuildState.Queued ? null
            : serverFault ? now + options.Value.RetryBackoff(1)
            : mode == Mode.Retry ? now + options.Value.RetryBackoff(build.Attempt)
            : null;

        var attemptChange = (mode == Mode.HandBack || serverFault) && state == BuildState.Queued ? -1 : 0;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Matching the lease id makes this lose any race with a heartbeat or completion that got in first.
        var lease = db.Builds.Where(b => b.Id == build.Id && b.LeaseId == build.LeaseId && b.State == BuildState.Running);
        var updated = await lease.ExecuteUpdateAsync(s => s
            .SetProperty(b => b.State, state)
            .SetProperty(b => b.Reason, reason)
            .SetProperty(b => b.LeaseId, (string?)null)
            .SetProperty(b => b.LeaseExpiresAt, (DateTime?)null)
            .SetProperty(b => b.StartedAt, b => state == BuildState.Queued ? null : b.StartedAt)
            .SetProperty(b => b.FinishedAt, state == BuildState.Queued ? null : now)
            .SetProperty(b => b.QueuedAt, b => state == BuildState.Queued ? now : b.QueuedAt)
            .SetProperty(b => b.NotBefore, notBefore)
            .SetProperty(b => b.Attempt, b => b.Attempt + attemptChange), cancellationToken);
        if (updated == 0)
        {
            return null;
        }

        BuildHistory.Record(db, build.Id, BuildHistory.KindOf(state), state, now, build.WorkerName, reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        await events.EndedAsync(build.Id, build.Owner, cancellationToken);
        if (state == BuildState.Queued)
        {
            var requeued = await db.Builds.AsNoTracking().FirstAsync(b => b.Id == build.Id, cancellationToken);
            await events.QueuedAsync(QueueBook.Entry(requeued), cancellationToken);
        }

        return state;
    }
}
