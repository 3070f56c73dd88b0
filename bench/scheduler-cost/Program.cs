// bench/scheduler-cost: the cost of one scheduling decision with BUILDS queued builds across OWNERS owners. In-process,
// the build services wired as in the server (real database, real QueueBook, real clock), on SQLite and on PostgreSQL 15:
// DECISIONS calls of JobService.LeaseAsync, each in its own scope as an HTTP request would be, each claiming one build.
// The first call, which loads the whole queue into the book, is reported apart (once per process), and so is the full
// reload the book repeats every QueueReloadSeconds. Then the pure FairScheduler.Pick on the same queue in memory.
using System.Diagnostics;
using System.Globalization;
using Forgeline.Accounts;
using Forgeline.Builds;
using Forgeline.Builds.Scheduling;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var decisions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var owners = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
const string Arch = "x86_64";
Console.WriteLine($"{count} queued builds across {owners} owners, {decisions} decisions per engine");

var results = new List<(string Engine, Stats Stats)>();
foreach (var engine in new[] { DatabaseEngine.Sqlite, DatabaseEngine.Postgres })
{
    results.Add((engine.ToString().ToLowerInvariant(), await MeasureEngineAsync(engine, decisions, count, owners)));
}

var pure = MeasurePick(decisions, count, owners);
Console.WriteLine($"  pure FairScheduler.Pick on {count} builds in memory: {pure}");
var line = string.Join("; ", results.Select(r => $"{r.Engine}: {r.Stats}"));
Console.WriteLine($"RESULT scheduler-cost ({count} queued, {owners} owners, {decisions} decisions, JobService.LeaseAsync claiming one build) {line}; FairScheduler.Pick alone: {pure}; goal < 5 ms");
return results.All(r => r.Stats.Mean < 5) ? 0 : 1;

static async Task<Stats> MeasureEngineAsync(DatabaseEngine engine, int decisions, int count, int owners)
{
    var name = engine.ToString().ToLowerInvariant();
    Console.WriteLine($"{name}: creating the database…");
    await using var database = await TestDatabase.CreateAsync(engine);
    using var home = new TempDirectory("forgeline-bench-scheduler");
    await using var services = Wire(database, new ForgelinePaths(home["data"]));
    await using (var scope = services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        await DatabaseMigrator.MigrateAsync(db);
        var fill = Stopwatch.StartNew();
        await QueueFiller.FillAsync(db, count, owners, DateTime.UtcNow);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {count} queued builds written in {fill.Elapsed.TotalSeconds:0.0} s"));
    }

    var worker = new LeaseRequest("bench-w1", Arch, 1, WaitSeconds: 0, Environment: "bench-env");
    var first = Stopwatch.StartNew();
    var lease = await LeaseAsync(services, worker) ?? throw new InvalidOperationException("the first lease found nothing to claim");
    first.Stop();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {name}: first decision, with the full queue load into the book (once per process, JIT included): {first.Elapsed.TotalMilliseconds:0} ms (build {lease.BuildId})"));

    var times = new List<double>(decisions);
    var claimed = new HashSet<long> { lease.BuildId };
    for (var i = 0; i < decisions; i++)
    {
        var clock = Stopwatch.StartNew();
        var next = await LeaseAsync(services, worker);
        clock.Stop();
        if (next is null || !claimed.Add(next.BuildId))
        {
            throw new InvalidOperationException($"decision {i} claimed {next?.BuildId.ToString(CultureInfo.InvariantCulture) ?? "nothing"}");
        }

        times.Add(clock.Elapsed.TotalMilliseconds);
    }

    var stats = Stats.Of(times);
    // One owner per decision, in turn: the fair share in action (every owner had one build running after OWNERS decisions).
    await using (var scope = services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var running = await db.Builds.Where(b => b.State == BuildState.Running).GroupBy(b => b.Owner).Select(g => g.Count()).ToListAsync();
        Console.WriteLine($"  {name}: {running.Sum()} builds running across {running.Count} owners (at most {running.DefaultIfEmpty(0).Max()} per owner)");

        var reload = Stopwatch.StartNew();
        await scope.ServiceProvider.GetRequiredService<QueueBook>().RefreshAsync(db, CancellationToken.None, force: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: a full reload of the book (one lease request pays it every QueueReloadSeconds, 60 s by default): {reload.Elapsed.TotalMilliseconds:0} ms"));
    }

    Console.WriteLine($"  {name}: per decision {stats}");
    return stats;
}

static ServiceProvider Wire(TestDatabase database, ForgelinePaths paths)
{
    Directory.CreateDirectory(paths.Root);
    var collection = new ServiceCollection();
    collection.AddLogging();
    collection.AddSingleton(TimeProvider.System);
    collection.AddDbContext<ForgelineDbContext>(o => o.UseForgelineDatabase(database.Settings));
    collection.AddForgelineBuilds(new ConfigurationBuilder().Build(), paths, runScheduler: false);
    // Queue weights name users and groups: the build farm asks accounts who is who.
    collection.AddForgelineAccounts(new ConfigurationBuilder().Build());
    return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
}

static async Task<JobLease?> LeaseAsync(ServiceProvider services, LeaseRequest request)
{
    await using var scope = services.CreateAsyncScope();
    return await scope.ServiceProvider.GetRequiredService<JobService>().LeaseAsync(request, CancellationToken.None);
}

// The decision alone: the same queue in a QueueState, each pick then started, as the book records a claim.
static Stats MeasurePick(int decisions, int count, int owners)
{
    var now = DateTime.UtcNow;
    var state = new QueueState();
    for (var i = 0; i < count; i++)
    {
        state.Add(new QueuedBuild(i + 1, QueueFiller.OwnerOf(i, owners), BuildPriority.Normal, Arch, "", QueueFiller.SubmittedAt(i, count, now)));
    }

    var offer = new WorkerOffer(Arch, new HashSet<string>());
    var aging = TimeSpan.FromSeconds(600);
    for (var i = 0; i < 50; i++)
    {
        _ = FairScheduler.Pick(state, offer, now, aging); // JIT
    }

    var times = new List<double>(decisions);
    for (var i = 0; i < decisions; i++)
    {
        var clock = Stopwatch.StartNew();
        var pick = FairScheduler.Pick(state, offer, now, aging) ?? throw new InvalidOperationException("nothing to pick");
        clock.Stop();
        times.Add(clock.Elapsed.TotalMilliseconds);
        state.Remove(pick.Id);
        state.Started(pick.Owner);
    }

    return Stats.Of(times);
}

/// <summary>Percentiles and mean of per-decision times, in milliseconds.</summary>
internal sealed record Stats(double P50, double P99, double Mean, double Max)
{
    public static Stats Of(List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToList();
        return new Stats(At(sorted, 0.50), At(sorted, 0.99), sorted.Average(), sorted[^1]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"p50 {P50:0.000} ms, p99 {P99:0.000} ms, mean {Mean:0.000} ms (max {Max:0.0} ms)");

    private static double At(List<double> sorted, double quantile) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
}
