using Microsoft.EntityFrameworkCore;

namespace Forgeline.Data.Storage;

/// <summary>A real, committed write to the database, for readiness: connecting proves little when the disk is full or the server is read-only.</summary>
public static class DatabaseWriteCheck
{
    /// <summary>This process's row in <c>readiness_checks</c>: host name and process id.</summary>
    public static string Replica { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Writes this process's row (one upsert, the same statement on SQLite and PostgreSQL); throws when the database refuses.</summary>
    public static async Task WriteAsync(ForgelineDbContext db, DateTime now, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO readiness_checks ("Replica", "CheckedAt") VALUES ({Replica}, {now}) ON CONFLICT ("Replica") DO UPDATE SET "CheckedAt" = excluded."CheckedAt" """,
            cancellationToken);
}
