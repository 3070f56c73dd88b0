using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Forgeline.Builds.Tests;

/// <summary>The hand-written migrations: they create the schema the model expects, are idempotent, and refuse a newer database.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task A_new_database_gets_every_table_and_column_the_model_maps()
    {
        using var dir = new TempDirectory();
        await using var db = Open(dir["f.db"]);
        await DatabaseMigrator.MigrateAsync(db);

        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var columns = await ColumnsAsync(db, table);
            foreach (var property in entity.GetProperties())
            {
                columns.ShouldContain(property.GetColumnName(), $"{table}.{property.GetColumnName()} is mapped but the migration does not create it");
            }
        }

        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        DatabaseMigrator.KnownMigrations(db).ShouldBe(["20261122000001_Initial", "20261122000002_WorkerSessions", "20261122000003_SigningKeys", "20261122000004_FairQueues"]);
    }

    [Fact]
    public async Task Migrating_twice_keeps_the_data()
    {
        using var dir = new TempDirectory();
        await using (var db = Open(dir["f.db"]))
        {
            await DatabaseMigrator.MigrateAsync(db);
            db.Workers.Add(new Data.Entities.WorkerRecord { Name = "w1", Arch = "x86_64", Slots = 2 });
            await db.SaveChangesAsync();
        }

        SqliteConnection.ClearAllPools();
        await using (var db = Open(dir["f.db"]))
        {
            await DatabaseMigrator.MigrateAsync(db);
            (await db.Workers.SingleAsync()).Slots.ShouldBe(2);
        }

        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_version_1_database_with_data_is_upgraded_in_place()
    {
        using var dir = new TempDirectory();
        await using (var db = Open(dir["f.db"]))
        {
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync("20261122000001_Initial");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO workers (Name, Arch, Slots, RegisteredAt, LastSeenAt) VALUES ('old-worker', 'aarch64', 4, '2026-01-01 00:00:00', '2026-01-01 00:00:00')");
        }

        SqliteConnection.ClearAllPools();
        await using (var db = Open(dir["f.db"]))
        {
            await DatabaseMigrator.MigrateAsync(db);
            var worker = await db.Workers.SingleAsync();
            (worker.Name, worker.Arch, worker.Slots, worker.Session).ShouldBe(("old-worker", "aarch64", 4, (string?)null));
        }

        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_database_from_a_newer_forgeline_is_refused_with_a_clear_message()
    {
        using var dir = new TempDirectory();
        await using var db = Open(dir["f.db"]);
        await DatabaseMigrator.MigrateAsync(db);
        await db.Database.ExecuteSqlRawAsync("INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('99991231000000_FromTheFuture', '99.0')");

        var error = await Should.ThrowAsync<InvalidOperationException>(() => DatabaseMigrator.MigrateAsync(db));
        error.Message.ShouldContain("99991231000000_FromTheFuture");
        error.Message.ShouldContain("upgrade forgeline");
        SqliteConnection.ClearAllPools();
    }

    private static ForgelineDbContext Open(string path) =>
        new(new DbContextOptionsBuilder<ForgelineDbContext>().UseForgelineSqlite(path).Options);

    private static async Task<List<string>> ColumnsAsync(ForgelineDbContext db, string table)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
