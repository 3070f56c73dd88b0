// bench/events: the message center's webhook fan-out. A real `forgeline server` (SQLite, no worker) with 10 webhook
// subscriptions (org.forgeline.build.*) to 10 loopback subscribers in this process.
// 1. Steady: STEADY builds submitted at RATE/s (a label no worker has: each is one org.forgeline.build.queued event
//    through the outbox, the dispatcher and its per-subscription lanes): publish-to-delivery latency (the CloudEvent's
//    time to its arrival), p50/p99, against the same payloads POSTed directly on the same schedule.
// 2. Burst: COUNT events committed to the server's outbox in one transaction: deliveries per second (events x
//    subscribers) from the first arrival to the last, against the same payloads POSTed directly all at once.
// The direct POSTs are signed the same way, with 16 requests in flight per subscriber, as the dispatcher's lanes.
// Usage: EventsBench [COUNT] [STEADY] [RATE] [WARM_UP]   (default 5000 600 40 500)
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Forgeline.Core.Builds;
using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Outbox;
using Forgeline.EventsBench;
using Microsoft.EntityFrameworkCore;
using Forgeline.Testing;

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var count = Arg(0, 5000);
var steadyCount = Arg(1, 600);
var rate = Arg(2, 40);
var warmUp = Arg(3, 500);
const int submitters = 8;
const int Subscribers = 10;
const int InFlight = 16;
var timeout = TimeSpan.FromMinutes(10);
string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

using var work = new TempDirectory("forgeline-bench-events");
Console.WriteLine($"starting {Subscribers} loopback subscribers and forgeline server (SQLite, --no-worker)…");
var subscribers = new List<WebhookSubscriber>();
for (var i = 0; i < Subscribers; i++)
{
    subscribers.Add(await WebhookSubscriber.StartAsync());
}

var arrivals = new Arrivals(subscribers);
await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?>
{
    ["Forgeline__Events__AllowPrivateTargets"] = "true",
    ["Forgeline__Events__ConcurrencyPerSubscription"] = InFlight.ToString(CultureInfo.InvariantCulture),
});
Console.WriteLine($"  server pid {server.Process.Id}");
using var client = server.Client();
var srpm = await TestPackages.MakeSrpmAsync(work.Path, "bench-events");
await using (var file = File.OpenRead(srpm))
{
    var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    file.Position = 0;
    await client.UploadAsync(file, "srpm", Path.GetFileName(srpm), sha);
}

var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
var blob = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(srpm)));
var request = new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, blob, Path.GetFileName(srpm)), Labels: ["nowhere"], NoCache: true);
async Task<double> SubmitAsync(int n)
{
    var next = 0;
    var started = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, submitters).Select(_ => Task.Run(async () =>
    {
        while (Interlocked.Increment(ref next) <= n)
        {
            await client.SubmitBuildAsync(request);
        }
    })));
    return n / Stopwatch.GetElapsedTime(started).TotalSeconds;
}

Console.WriteLine(F($"  without subscriptions: {await SubmitAsync(warmUp):0} builds submitted/s"));
foreach (var subscriber in subscribers)
{
    await client.CreateSubscriptionAsync(new CreateSubscriptionRequest(["org.forgeline.build.*"], subscriber.Url, secret));
}

Console.WriteLine($"warming up: {warmUp} builds…");
await SubmitAsync(warmUp);
await arrivals.WaitAsync(warmUp, timeout);
arrivals.Clear();
var (wallStart, tickStart) = (DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
DateTimeOffset Wall(long ticks) => wallStart + TimeSpan.FromSeconds((double)(ticks - tickStart) / Stopwatch.Frequency);
double Seconds(long from, long to) => (double)(to - from) / Stopwatch.Frequency;
var urls = subscribers.Select(s => s.Url).ToList();

// 1. Steady: builds submitted at RATE/s, as a busy farm makes them; each event's publish-to-delivery latency.
Console.WriteLine($"steady: {steadyCount} builds at {rate}/s, {steadyCount * Subscribers} deliveries…");
var interval = TimeSpan.FromSeconds(1.0 / rate);
var steadyStart = Stopwatch.GetTimestamp();
var pending = new List<Task>();
for (var i = 0; i < steadyCount; i++)
{
    var due = steadyStart + (long)(i * interval.TotalSeconds * Stopwatch.Frequency);
    if (due - Stopwatch.GetTimestamp() > Stopwatch.Frequency / 1000)
    {
        await Task.Delay(TimeSpan.FromSeconds((double)(due - Stopwatch.GetTimestamp()) / Stopwatch.Frequency));
    }

    pending.Add(client.SubmitBuildAsync(request));
}

await Task.WhenAll(pending);
await arrivals.WaitAsync(steadyCount, timeout);
var steadyPayloads = arrivals.Payloads();
var times = steadyPayloads.ToDictionary(p => p.Id, p => p.Time);
var steady = new Figures(steadyCount * Subscribers / Seconds(steadyStart, arrivals.LastTicks),
    [.. arrivals.All.Select(a => (Wall(a.Ticks) - times[a.Id]).TotalMilliseconds)]);
Console.WriteLine(F($"  forgeline: {steady.PerSecond:0} deliveries/s; p50 {steady.Percentile(0.5):0.0} ms, p99 {steady.Percentile(0.99):0.0} ms"));
arrivals.Clear();
var first = steadyPayloads[0].Time;
var steadyPeer = await RunBaselineAsync([.. steadyPayloads.Select(p => (p.Id, p.Time - first, p.Body))]);
Console.WriteLine(F($"  direct POST on the same schedule: {steadyPeer.PerSecond:0} deliveries/s; p50 {steadyPeer.Percentile(0.5):0.0} ms, p99 {steadyPeer.Percentile(0.99):0.0} ms"));

// 2. Burst: COUNT events committed to the server's outbox in one transaction (as another replica's writes would
// arrive), fanned out by the server's dispatcher; against the same payloads POSTed directly, all at once.
Console.WriteLine($"burst: {count} events written to the outbox at once, {count * Subscribers} deliveries…");
arrivals.Clear();
await using (var db = new ForgelineDbContext(new DbContextOptionsBuilder<ForgelineDbContext>().UseForgelineSqlite(server.Home["data/forgeline.db"]).Options))
{
    var now = DateTime.UtcNow;
    for (var i = 0; i < count; i++)
    {
        EventOutbox.Add(db, EventTypes.BuildFinished, EventOutbox.BuildsSource, $"builds/{1_000_000 + i}", "bench", isPublic: true,
            new BuildEventData(1_000_000 + i, "bench", "bench-events-1.0-1", "x86_64", "succeeded", "succeeded", null, "w1", null), now);
    }

    await db.SaveChangesAsync();
}

var committed = Stopwatch.GetTimestamp();
await arrivals.WaitAsync(count, timeout);
var firstArrival = arrivals.All.Min(a => a.Ticks);
var burst = new Figures(count * Subscribers / Seconds(firstArrival, arrivals.LastTicks), [Seconds(committed, firstArrival) * 1000]);
var burstPayloads = arrivals.Payloads();
Console.WriteLine(F($"  forgeline: {burst.PerSecond:0} deliveries/s from the first arrival (picked up {burst.Milliseconds[0]:0} ms after the commit; it polls each second when no local write signals it)"));
arrivals.Clear();
var burstPeer = await RunBaselineAsync([.. burstPayloads.Select(p => (p.Id, TimeSpan.Zero, p.Body))]);
Console.WriteLine(F($"  direct POST, all at once: {burstPeer.PerSecond:0} deliveries/s"));

Console.WriteLine(F(
    $"RESULT events fan-out burst ({count} events x {Subscribers} subscribers, SQLite) = {burst.PerSecond:0} deliveries/s; peer direct POST of the same payloads = {burstPeer.PerSecond:0} deliveries/s; ratio {burst.PerSecond / burstPeer.PerSecond:0.00}; goal >= 2000 deliveries/s and ratio >= 0.5"));
Console.WriteLine(F(
    $"RESULT events publish-to-delivery at {rate} builds/s ({steadyCount} events x {Subscribers} subscribers) p50 = {steady.Percentile(0.5):0.0} ms; p99 = {steady.Percentile(0.99):0.0} ms; peer direct POST on the same schedule p99 = {steadyPeer.Percentile(0.99):0.0} ms; ratio {steady.Percentile(0.99) / steadyPeer.Percentile(0.99):0.00}; goal p99 < 200 ms"));
foreach (var subscriber in subscribers)
{
    await subscriber.DisposeAsync();
}

return 0;

async Task<Figures> RunBaselineAsync(List<(string Id, TimeSpan Offset, byte[] Body)> schedule)
{
    var released = await DirectFanOut.RunAsync(schedule, urls, secret, InFlight);
    await arrivals.WaitAsync(schedule.Count, timeout);
    var start = released.Values.Min();
    return new Figures(schedule.Count * Subscribers / Seconds(start, arrivals.LastTicks),
        [.. arrivals.All.Select(a => Seconds(released[a.Id], a.Ticks) * 1000)]);
}

/// <summary>A run's throughput and latencies.</summary>
internal sealed record Figures(double PerSecond, double[] Milliseconds)
{
    public double Percentile(double p)
    {
        var sorted = Milliseconds.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
