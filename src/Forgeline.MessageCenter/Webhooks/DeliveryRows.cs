using System.Text.Json;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.MessageCenter.Webhooks;

/// <summary>
/// The dispatcher's two hottest writes, as one statement each whatever the number of rows (SQLite reads the rows from a
/// JSON array, PostgreSQL from arrays): EF Core would compile a new command for every batch size, which cost more CPU than
/// the deliveries themselves.
/// </summary>
internal static class DeliveryRows
{
    /// <summary>Makes pending deliveries claimed until <paramref name="until"/>; returns each new row's id with its pair.</summary>
    public static Task<List<NewDelivery>> InsertAsync(ForgelineDbContext db, IReadOnlyList<(long SubscriptionId, long OutboxId)> pairs, DateTime now, DateTime until, CancellationToken cancellationToken)
    {
        var query = db.Database.IsPostgres()
            ? db.Database.SqlQuery<NewDelivery>(
                $"""
                INSERT INTO "event_deliveries" ("SubscriptionId", "OutboxId", "State", "Attempts", "NextAttemptAt", "ClaimedUntil", "CreatedAt")
                SELECT s, o, {EventDeliveryStates.Pending}, 0, {now}, {until}, {now} FROM unnest({pairs.Select(p => p.SubscriptionId).ToArray()}, {pairs.Select(p => p.OutboxId).ToArray()}) AS t(s, o)
                RETURNING "Id", "SubscriptionId", "OutboxId"
                """)
            : db.Database.SqlQuery<NewDelivery>(
                $"""
                INSERT INTO "event_deliveries" ("SubscriptionId", "OutboxId", "State", "Attempts", "NextAttemptAt", "ClaimedUntil", "CreatedAt")
                SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), {EventDeliveryStates.Pending}, 0, {now}, {until}, {now} FROM json_each({JsonSerializer.Serialize(pairs.Select(p => new[] { p.SubscriptionId, p.OutboxId }))})
                RETURNING "Id", "SubscriptionId", "OutboxId"
                """);
        return query.AsAsyncEnumerable().ToListAsync(cancellationToken).AsTask();
    }

    /// <summary>Marks pending deliveries delivered with HTTP <paramref name="status"/>.</summary>
    public static Task MarkDeliveredAsync(ForgelineDbContext db, IReadOnlyList<long> ids, int status, DateTime now, CancellationToken cancellationToken) =>
        db.Database.IsPostgres()
            ? db.Database.ExecuteSqlAsync(
                $"""
                UPDATE "event_deliveries" SET "State" = {EventDeliveryStates.Delivered}, "Attempts" = "Attempts" + 1, "LastStatus" = {status}, "LastError" = NULL,
                    "DeliveredAt" = {now}, "ClaimedUntil" = NULL
                WHERE "Id" = ANY({ids.ToArray()}) AND "State" = {EventDeliveryStates.Pending}
                """, cancellationToken)
            : db.Database.ExecuteSqlAsync(
                $"""
                UPDATE "event_deliveries" SET "State" = {EventDeliveryStates.Delivered}, "Attempts" = "Attempts" + 1, "LastStatus" = {status}, "LastError" = NULL,
                    "DeliveredAt" = {now}, "ClaimedUntil" = NULL
                WHERE "Id" IN (SELECT value FROM json_each({JsonSerializer.Serialize(ids)})) AND "State" = {EventDeliveryStates.Pending}
                """, cancellationToken);
}

/// <summary>A delivery row just made.</summary>
internal sealed record NewDelivery(long Id, long SubscriptionId, long OutboxId);
