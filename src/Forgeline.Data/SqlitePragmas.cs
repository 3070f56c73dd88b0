using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Forgeline.Data;

/// <summary>
/// Per-connection SQLite settings. With WAL, <c>synchronous=NORMAL</c> syncs at checkpoints instead of every commit:
/// a killed process loses nothing (the WAL is in the OS cache) and the database never corrupts; only a power cut can
/// drop the last few commits. Foreign keys are enforced as on PostgreSQL. A writer that finds another writing waits in
/// SQLite's busy handler (which retries after 1, 2, 5, 10… ms) up to the connection's timeout; without it Microsoft.Data.Sqlite
/// retries on its own, every 150 ms, so two writers meeting cost the second one 150 ms however short the first one's write.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    /// <inheritdoc />
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    /// <inheritdoc />
    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        var busyMs = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite ? sqlite.DefaultTimeout * 1000 : 30_000;
        command.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout={busyMs};";
        command.ExecuteNonQuery();
    }
}
