using Forgeline.Core.Workers;
using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Forgeline.Builds.Tests;

/// <summary>
/// A new worker's slots ask for work at the same moment, each finding no row for it: one registers it and the others
/// must not fail nor log an error for that expected race; on each database engine.
/// </summary>
public abstract class WorkerRegistrationTests(DatabaseEngine engine) : IAsyncLifetime
{
    private readonly RecordingLoggerProvider logs = new(LogLevel.Error);
    private BuildsHarness harness = null!;

    public async Task InitializeAsync() => harness = await BuildsHarness.CreateAsync(engine, configure: s => s.AddLogging(l => l.AddProvider(logs)));

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task The_slots_of_a_new_worker_registering_at_once_log_no_error_and_leave_one_row()
    {
        const int Slots = 8;
        // Migrating a fresh PostgreSQL database logs EF's probe of the missing history table: not this test's business.
        var before = logs.Entries.Count;
        for (var round = 0; round < 10; round++)
        {
            var name = $"fresh-{round}";
            using var start = new Barrier(Slots);
            var requests = Enumerable.Range(0, Slots).Select(_ => Task.Run(async () =>
            {
                start.SignalAndWait();
                return await harness.Jobs(j => j.LeaseAsync(new LeaseRequest(name, "x86_64", Slots, WaitSeconds: 0), default));
            }));
            // No build is queued: each request answers "no job" at once, and none may throw.
            (await Task.WhenAll(requests)).ShouldAllBe(lease => lease == null);
            await using var db = harness.Database.Open();
            (await db.Workers.CountAsync(w => w.Name == name)).ShouldBe(1);
        }

        logs.Entries.Skip(before).ShouldBeEmpty();
    }

    public sealed class OnSqlite() : WorkerRegistrationTests(DatabaseEngine.Sqlite);

    public sealed class OnPostgres() : WorkerRegistrationTests(DatabaseEngine.Postgres);
}
