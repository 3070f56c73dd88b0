using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.MessageCenter;

/// <summary>
/// Reads the outbox in id order without skipping an event. On PostgreSQL ids are handed out before commit, so id 8 may
/// commit after id 9 was read; the reader therefore takes the writers' advisory lock exclusively for an instant: every
/// writer holds it shared until its commit, so once the reader has it, every id up to the current maximum is committed
/// (or rolled back) and reading stops there. SQLite commits one writer at a time, in id order.
/// </summary>
public static class OutboxReader
{
    /// <summary>Up to <paramref name="limit"/> events after <paramref name="after"/>, oldest first.</summary>
    public static async Task<List<OutboxEventRecord>> ReadAsync(ForgelineDbContext db, long after, int limit, CancellationToken cancellationToken)
    {
        var ceiling = long.MaxValue;
        if (db.Database.IsPostgres())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await LockExclusivelyAsync(db, cancellationToken);
            ceiling = await db.Outbox.MaxAsync(o => (long?)o.Id, cancellationToken) ?? 0;
            await transaction.CommitAsync(cancellationToken);
        }

        return await db.Outbox.AsNoTracking().Where(o => o.Id > after && o.Id <= ceiling).OrderBy(o => o.Id).Take(limit).ToListAsync(cancellationToken);
    }

    // A waiting exclusive request would queue writers behind it, and a writer that already holds row locks another
    // writer waits for would close a cycle (which PostgreSQL breaks by failing one of them). So try without waiting,
    // a while, between writers' commits; only a reader that never finds a gap waits in line.
    private static async Task LockExclusivelyAsync(ForgelineDbContext db, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var taken = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({OutboxInterceptor.PostgresLockKey}) AS \"Value\"")
                .AsAsyncEnumerable().FirstAsync(cancellationToken);
            if (taken)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(attempt < 20 ? 1 : 5), cancellationToken);
        }

        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({OutboxInterceptor.PostgresLockKey})", cancellationToken);
    }

    /// <summary>The newest event's id (0 when the outbox is empty).</summary>
    public static async Task<long> NewestAsync(ForgelineDbContext db, CancellationToken cancellationToken) =>
        await db.Outbox.MaxAsync(o => (long?)o.Id, cancellationToken) ?? 0;
}
