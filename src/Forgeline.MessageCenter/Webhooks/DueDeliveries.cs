using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.MessageCenter.Webhooks;

/// <summary>
/// Claims deliveries whose next attempt is due and whose earlier claim (if any) lapsed, in one conditional update that
/// returns the rows it claimed (as the bot claims its deliveries): of two replicas, each row goes to one. On PostgreSQL
/// rows another replica is claiming are skipped rather than waited for.
/// </summary>
internal static class DueDeliveries
{
    public static Task<List<EventDeliveryRecord>> ClaimAsync(ForgelineDbContext db, DateTime now, DateTime until, int limit, CancellationToken cancellationToken)
    {
        var query = db.Database.IsPostgres()
            ? db.EventDeliveries.FromSql(
                $"""
                UPDATE "event_deliveries" SET "ClaimedUntil" = {until}
                WHERE "Id" IN (SELECT "Id" FROM "event_deliveries"
                    WHERE "State" = {EventDeliveryStates.Pending} AND "NextAttemptAt" <= {now} AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now})
                    ORDER BY "NextAttemptAt" LIMIT {limit} FOR UPDATE SKIP LOCKED)
                RETURNING *
                """)
            : db.EventDeliveries.FromSql(
                $"""
                UPDATE "event_deliveries" SET "ClaimedUntil" = {until}
                WHERE "Id" IN (SELECT "Id" FROM "event_deliveries"
                    WHERE "State" = {EventDeliveryStates.Pending} AND "NextAttemptAt" <= {now} AND ("ClaimedUntil" IS NULL OR "ClaimedUntil" < {now})
                    ORDER BY "NextAttemptAt" LIMIT {limit})
                RETURNING *
                """);
        return query.AsNoTracking().AsAsyncEnumerable().ToListAsync(cancellationToken).AsTask();
    }
}
