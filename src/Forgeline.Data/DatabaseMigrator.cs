using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Forgeline.Data;

/// <summary>Brings the database schema to this version of Forgeline at start-up, and refuses a database from a newer one.</summary>
public static class DatabaseMigrator
{
    /// <summary>Applies pending migrations; throws <see cref="InvalidOperationException"/> when the database is newer than this binary.</summary>
    public static async Task MigrateAsync(ForgelineDbContext db, CancellationToken cancellationToken = default)
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
        if (db.Database.IsSqlite())
        {
            // WAL lets the UI and API read while a worker's upload is being recorded.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>The names of the migrations this binary carries, oldest first.</summary>
    public static IReadOnlyList<string> KnownMigrations(ForgelineDbContext db) => db.Database.GetMigrations().ToList();
}
