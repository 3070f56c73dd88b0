using Microsoft.EntityFrameworkCore;

namespace Forgeline.Data;

/// <summary>Brings the database schema to this version of Forgeline at start-up, and refuses a database from a newer one.</summary>
public static class DatabaseMigrator
{
    /// <summary>
    /// The PostgreSQL advisory lock held while migrating ("Forgelin" in ASCII), so server replicas that start together
    /// migrate one after the other. Advisory locks are per database, so other databases on the same server do not wait.
    /// </summary>
    public const long PostgresLockKey = 0x466F7267656C696E;

    /// <summary>Applies pending migrations; throws <see cref="InvalidOperationException"/> when the database is newer than this binary.</summary>
    public static async Task MigrateAsync(ForgelineDbContext db, CancellationToken cancellationToken = default)
    {
        if (!db.Database.IsPostgres())
        {
            await MigrateUnlockedAsync(db, cancellationToken);
            // WAL lets the UI and API read while a worker's upload is being recorded.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            return;
        }

        // A session-level lock lives on one connection: keep it open from lock to unlock.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // No command timeout: another replica may be migrating, and the caller's token still cancels the wait.
            await ExecuteAsync(db, $"SELECT pg_advisory_lock({PostgresLockKey})", timeoutSeconds: 0, cancellationToken);
            try
            {
                await MigrateUnlockedAsync(db, cancellationToken);
            }
            finally
            {
                await ExecuteAsync(db, $"SELECT pg_advisory_unlock({PostgresLockKey})", timeoutSeconds: 30, CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The names of the migrations this binary carries, oldest first.</summary>
    public static IReadOnlyList<string> KnownMigrations(ForgelineDbContext db) => db.Database.GetMigrations().ToList();

    private static async Task MigrateUnlockedAsync(ForgelineDbContext db, CancellationToken cancellationToken)
    {
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var applied = await db.Database.GetAppliedMigrationsAsync(cancellationToken);
        var unknown = applied.Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"the database has schema migrations this forgeline does not know ({string.Join(", ", unknown)}); " +
                "it was written by a newer version: upgrade forgeline or point it at another database");
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(ForgelineDbContext db, string sql, int timeoutSeconds, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = timeoutSeconds;
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
