using System.Text.Json;
using Forgeline.Builds;
using Forgeline.Core.Builds;
using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.MessageCenter.Tests;

/// <summary>Events are written in the same transaction as the change they describe: both commit, or neither does.</summary>
public sealed class OutboxTransactionTests
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task A_submitted_build_and_its_queued_event_commit_together(DatabaseEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        long id;
        await using (var db = database.Open())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var build = NewBuild("alice");
            build.Record(BuildEventKinds.Queued, DateTime.UtcNow, detail: "by alice");
            db.Builds.Add(build);
            await db.SaveChangesAsync();
            id = build.Id;
            await transaction.CommitAsync();
        }

        await using var check = database.Open();
        var e = await check.Outbox.AsNoTracking().SingleAsync(o => o.Subject == $"builds/{id}");
        e.Type.ShouldBe(EventTypes.BuildQueued);
        e.Source.ShouldBe("/forgeline/builds");
        e.Owner.ShouldBe("alice");
        e.IsPublic.ShouldBeTrue();
        var data = JsonSerializer.Deserialize<BuildEventData>(e.Data, EventOutbox.DataJson)!;
        data.ShouldBe(new BuildEventData(id, "alice", "hello", "x86_64", "queued", null, null, null, "by alice"));
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task A_rolled_back_build_change_leaves_no_event(DatabaseEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        await using (var db = database.Open())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var build = NewBuild("bob");
            build.Record(BuildEventKinds.Queued, DateTime.UtcNow);
            db.Builds.Add(build);
            await db.SaveChangesAsync();
            (await db.Outbox.CountAsync()).ShouldBe(1, "the event is written inside the transaction");
            await transaction.RollbackAsync();
        }

        await using var check = database.Open();
        (await check.Builds.CountAsync()).ShouldBe(0);
        (await check.Outbox.CountAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task A_bulk_state_change_gets_its_event_with_the_state_it_made(DatabaseEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        long id;
        await using (var db = database.Open())
        {
            var build = NewBuild("carol");
            db.Builds.Add(build);
            await db.SaveChangesAsync();
            id = build.Id;
        }

        // As the scheduler claims a build: a bulk update, then the history row, in one transaction.
        await using (var db = database.Open())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Builds.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.State, BuildState.Running).SetProperty(b => b.Package, "renamed"));
            BuildHistory.Record(db, id, BuildEventKinds.Started, BuildState.Running, DateTime.UtcNow, "w1", "attempt 1");
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using var check = database.Open();
        var e = await check.Outbox.AsNoTracking().SingleAsync(o => o.Type == EventTypes.BuildStarted);
        var data = JsonSerializer.Deserialize<BuildEventData>(e.Data, EventOutbox.DataJson)!;
        data.State.ShouldBe("running");
        data.Package.ShouldBe("renamed");
        data.Worker.ShouldBe("w1");
    }

    [Fact]
    public async Task A_failed_save_rolls_back_the_event_with_the_change()
    {
        await using var database = await MigratedAsync(DatabaseEngine.Sqlite);
        await using (var db = database.Open())
        {
            db.Outbox.Add(EventOutbox.Create(EventTypes.ProjectCreated, EventOutbox.ProjectsSource, "projects/p", "dave", true, new { name = "p" }, DateTime.UtcNow));
            // A history row of a build that does not exist breaks the foreign key: the whole save fails.
            BuildHistory.Record(db, 4242, BuildEventKinds.Queued, BuildState.Queued, DateTime.UtcNow);
            await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        await using var check = database.Open();
        (await check.Outbox.CountAsync()).ShouldBe(0);
    }

    private static async Task<TestDatabase> MigratedAsync(DatabaseEngine engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.Open();
        await DatabaseMigrator.MigrateAsync(db);
        return database;
    }

    private static BuildRecord NewBuild(string owner) => new()
    {
        State = BuildState.Queued, Owner = owner, Arch = "x86_64", Package = "hello", SourceKind = SourceKind.Srpm, SubmittedAt = DateTime.UtcNow, QueuedAt = DateTime.UtcNow,
    };
}
