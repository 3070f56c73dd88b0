using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Forgeline.Data;

/// <summary>
/// Per-connection SQLite settings. With WAL, <c>synchronous=NORMAL</c> syncs at checkpoints instead of every commit:
/// a killed process loses nothing (the WAL is in the OS cache) and the database never corrupts; only a power cut can
/// drop the last few commits. Foreign keys are enforced as on PostgreSQL.
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
        command.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        command.ExecuteNonQuery();
    }
}
