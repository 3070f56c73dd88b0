using Forgeline.Data;
using Forgeline.Data.Storage;
using Forgeline.Data.Entities;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Forgeline.Builds.Tests;

/// <summary>
/// The hand-written migrations, on each engine: they create the schema the model expects, keep data across upgrades,
/// refuse a newer database, and let replicas that start together migrate safely.
/// </summary>
public abstract class MigrationTests(DatabaseEngine engine) : IAsyncLifetime
{
    /// <summary>A fresh, empty database for each test.</summary>
    protected TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync(engine);

    public async Task DisposeAsync() => await Database.DisposeAsync();

    [Fact]
    public async Task A_new_database_gets_every_table_column_type_and_index_the_model_maps()
    {
        await using var db = Database.Open();
        await DatabaseMigrator.MigrateAsync(db);

        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var columns = (await DatabaseSchema.ColumnsAsync(db, table)).ToDictionary(c => c.Name);
            foreach (var property in entity.GetProperties())
            {
                var name = property.GetColumnName();
                columns.ShouldContainKey(name, $"{table}.{name} is mapped but the migration does not create it");
                var column = columns[name];
                column.Type.ToUpperInvariant().ShouldBe(property.GetColumnType().ToUpperInvariant(), $"{table}.{name} has another type than the model maps");
                column.NotNull.ShouldBe(!property.IsColumnNullable(), $"{table}.{name}: NOT NULL differs from the model");
                column.Generated.ShouldBe(property.ValueGenerated == ValueGenerated.OnAdd, $"{table}.{name}: the database should generate it exactly when the model expects it to");
            }

            var indexes = await DatabaseSchema.IndexesAsync(db, table);
            foreach (var index in entity.GetIndexes())
            {
                var expected = new DatabaseSchema.Index(index.GetDatabaseName()!, index.IsUnique, string.Join(",", index.Properties.Select(p => p.GetColumnName())));
                indexes.ShouldContain(expected, $"{table}: the model's index {expected} is missing or differs");
            }
        }

        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        DatabaseMigrator.KnownMigrations(db).ShouldBe(["20261122000001_Initial", "20261122000002_WorkerSessions", "20261122000003_SigningKeys", "20261122000004_FairQueues", "20261122000005_Projects", "20261122000006_Bot", "20261206000001_Accounts", "20261206000002_MessageCenter", "20261206000003_BuildOrigin", "20261207000001_BuildTargets", "20261207000002_PlaygroundEnvironments", "20261207000003_Images", "20261207000004_Meetings", "20261207000005_ReadinessChecks"]);
    }

    [Fact]
    public async Task The_readiness_write_is_one_row_per_process_updated_in_place()
    {
        await using var db = Database.Open();
        await DatabaseMigrator.MigrateAsync(db);
        var first = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc);
        await DatabaseWriteCheck.WriteAsync(db, first, CancellationToken.None);
        await DatabaseWriteCheck.WriteAsync(db, first.AddSeconds(5), CancellationToken.None);

        var rows = await db.Database.SqlQuery<DateTime>($"""SELECT "CheckedAt" AS "Value" FROM readiness_checks WHERE "Replica" = {DatabaseWriteCheck.Replica}""").ToListAsync();
        rows.ShouldHaveSingleItem().ToUniversalTime().ShouldBe(first.AddSeconds(5));
    }

    [Fact]
    public async Task Migrating_twice_keeps_the_data()
    {
        await using (var db = Database.Open())
        {
            await DatabaseMigrator.MigrateAsync(db);
            db.Workers.Add(new WorkerRecord { Name = "w1", Arch = "x86_64", Slots = 2 });
            await db.SaveChangesAsync();
        }

        Database.ReleaseConnections();
        await using (var db = Database.Open())
        {
            await DatabaseMigrator.MigrateAsync(db);
            (await db.Workers.SingleAsync()).Slots.ShouldBe(2);
        }
    }

    [Fact]
    public async Task A_version_1_database_with_data_is_upgraded_in_place()
    {
        await using (var db = Database.Open())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261122000001_Initial");
            var registered = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO workers ("Name", "Arch", "Slots", "RegisteredAt", "LastSeenAt") VALUES ('old-worker', 'aarch64', 4, {registered}, {registered})""");
        }

        Database.ReleaseConnections();
        await using (var db = Database.Open())
        {
            await DatabaseMigrator.MigrateAsync(db);
            var worker = await db.Workers.SingleAsync();
            (worker.Name, worker.Arch, worker.Slots, worker.Session).ShouldBe(("old-worker", "aarch64", 4, (string?)null));
            worker.RegisteredAt.ShouldBe(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }
    }

    [Fact]
    public async Task A_database_from_a_newer_forgeline_is_refused_with_a_clear_message()
    {
        await using var db = Database.Open();
        await DatabaseMigrator.MigrateAsync(db);
        await db.Database.ExecuteSqlRawAsync("""INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('99991231000000_FromTheFuture', '99.0')""");

        var error = await Should.ThrowAsync<InvalidOperationException>(() => DatabaseMigrator.MigrateAsync(db));
        error.Message.ShouldContain("99991231000000_FromTheFuture");
        error.Message.ShouldContain("upgrade forgeline");
    }

    [Fact]
    public async Task Times_are_stored_as_utc_and_read_back_as_utc()
    {
        // Microsecond precision: PostgreSQL keeps no more.
        var registered = new DateTime(2026, 3, 4, 5, 6, 7, 891, DateTimeKind.Utc).AddTicks(2340);
        await using (var db = Database.Open())
        {
            await DatabaseMigrator.MigrateAsync(db);
            db.Workers.Add(new WorkerRecord { Name = "w", Arch = "x86_64", RegisteredAt = registered, LastSeenAt = registered.ToLocalTime() });
            await db.SaveChangesAsync();
        }

        await using (var db = Database.Open())
        {
            var worker = await db.Workers.SingleAsync(w => w.RegisteredAt > registered.AddSeconds(-1) && w.RegisteredAt < registered.AddSeconds(1));
            worker.RegisteredAt.Kind.ShouldBe(DateTimeKind.Utc);
            worker.RegisteredAt.ShouldBe(registered);
            worker.LastSeenAt.ShouldBe(registered, "a local time is stored as the same instant in UTC");

            var sql = Database.Engine == DatabaseEngine.Postgres
                ? """SELECT to_char("RegisteredAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS "Value" FROM workers"""
                : """SELECT "RegisteredAt" AS "Value" FROM workers""";
            (await db.Database.SqlQueryRaw<string>(sql).SingleAsync()).ShouldBe("2026-03-04 05:06:07.891234");
        }
    }

    [Fact]
    public async Task Servers_that_start_together_on_a_new_database_all_migrate_it_once()
    {
        await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await using var db = Database.Open();
            await DatabaseMigrator.MigrateAsync(db);
        }));

        await using var check = Database.Open();
        (await check.Database.GetAppliedMigrationsAsync()).ShouldBe(DatabaseMigrator.KnownMigrations(check));
        check.Workers.Add(new WorkerRecord { Name = "w", Arch = "x86_64" });
        await check.SaveChangesAsync();
    }

    /// <summary>On SQLite.</summary>
    public sealed class OnSqlite() : MigrationTests(DatabaseEngine.Sqlite);

    /// <summary>On PostgreSQL, plus its advisory lock.</summary>
    public sealed class OnPostgres() : MigrationTests(DatabaseEngine.Postgres)
    {
        [Fact]
        public async Task Migrating_waits_while_another_replica_holds_the_migration_lock()
        {
            await using var replica = new NpgsqlConnection(Database.Settings.ConnectionString);
            await replica.OpenAsync();
            await ScalarAsync(replica, $"SELECT pg_advisory_lock({DatabaseMigrator.PostgresLockKey})");

            await using var db = Database.Open();
            var migrating = DatabaseMigrator.MigrateAsync(db);
            const string waiting = "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()";
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((long)(await ScalarAsync(replica, waiting))! == 0)
            {
                migrating.IsCompleted.ShouldBeFalse("the migration finished without waiting for the lock");
                DateTime.UtcNow.ShouldBeLessThan(deadline, "the migrator never asked for the advisory lock");
                await Task.Delay(20);
            }

            migrating.IsCompleted.ShouldBeFalse();
            (await ScalarAsync(replica, """SELECT to_regclass('"__EFMigrationsHistory"') IS NULL""")).ShouldBe(true, "nothing is migrated while another replica holds the lock");

            await ScalarAsync(replica, $"SELECT pg_advisory_unlock({DatabaseMigrator.PostgresLockKey})");
            await migrating.WaitAsync(TimeSpan.FromSeconds(60));
            (await db.Database.GetAppliedMigrationsAsync()).Count().ShouldBe(DatabaseMigrator.KnownMigrations(db).Count);
            (await ScalarAsync(replica, waiting.Replace("NOT l.granted", "l.granted", StringComparison.Ordinal))).ShouldBe(0L, "the migrator let go of the lock");
        }

        private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return await command.ExecuteScalarAsync();
        }
    }
}
