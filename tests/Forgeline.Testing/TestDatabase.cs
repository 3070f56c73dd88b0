using Forgeline.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Forgeline.Testing;

/// <summary>
/// A fresh, empty Forgeline database for one test on the engine asked for: a SQLite file in a temporary directory, or a
/// new database on the process's shared <see cref="PostgresServer"/>. Removed on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly TempDirectory? directory;
    private readonly PostgresDatabase? postgres;

    private TestDatabase(DatabaseSettings settings, string url, TempDirectory? directory, PostgresDatabase? postgres)
    {
        Settings = settings;
        Url = url;
        this.directory = directory;
        this.postgres = postgres;
    }

    /// <summary>The engine.</summary>
    public DatabaseEngine Engine => Settings.Engine;

    /// <summary>What <c>UseForgelineDatabase</c> takes.</summary>
    public DatabaseSettings Settings { get; }

    /// <summary>The same as a <c>FORGELINE_DATABASE</c> value, for a <c>forgeline server</c> process.</summary>
    public string Url { get; }

    /// <summary>Creates an empty database on <paramref name="engine"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseEngine engine)
    {
        if (engine == DatabaseEngine.Postgres)
        {
            var server = await PostgresServer.SharedAsync();
            var database = await server.CreateDatabaseAsync();
            return new TestDatabase(DatabaseSettings.Postgres(database.ConnectionString), database.Url, null, database);
        }

        var dir = new TempDirectory("forgeline-db");
        var path = dir["forgeline.db"];
        return new TestDatabase(DatabaseSettings.Sqlite(path), "sqlite://" + path, dir, null);
    }

    /// <summary>A new context on this database (not migrated: call <see cref="DatabaseMigrator.MigrateAsync"/>).</summary>
    public ForgelineDbContext Open() => new(new DbContextOptionsBuilder<ForgelineDbContext>().UseForgelineDatabase(Settings).Options);

    /// <summary>Closes pooled connections, as a process that stops would.</summary>
    public void ReleaseConnections()
    {
        if (Engine == DatabaseEngine.Postgres)
        {
            using var connection = new NpgsqlConnection(Settings.ConnectionString);
            NpgsqlConnection.ClearPool(connection);
        }
        else
        {
            using var connection = new SqliteConnection(Settings.ConnectionString);
            SqliteConnection.ClearPool(connection);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        ReleaseConnections();
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        directory?.Dispose();
    }
}
