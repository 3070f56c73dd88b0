// bench/events: the message center's webhook fan-out. A real `forgeline server` (SQLite, no worker) with 10 webhook
// subscriptions (org.forgeline.build.*) to 10 loopback subscribers; COUNT builds are submitted over SUBMITTERS
// connections (a label no worker has, so each is one org.forgeline.build.queued event through the outbox, the
// dispatcher and its per-subscription lanes). Figures: deliveries per second (events x subscribers) from the first
// submission to the last arrival, and publish-to-delivery latency (the CloudEvent's time to its arrival), p50/p99.
// Baseline: this process POSTs the same payloads (signed the same way, 16 in flight per subscriber as the dispatcher)
// straight to the same subscribers, each released at the moment Forgeline published it; and once all at once (ceiling).
// Usage: EventsBench [COUNT] [SUBMITTERS] [WARM_UP]   (default 3000 16 1000)
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Forgeline.Core.Builds;
using Forgeline.Core.MessageCenter;
using Forgeline.EventsBench;
using Forgeline.Testing;

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var count = Arg(0, 3000);
var submitters = Arg(1, 16);
var warmUp = Arg(2, 1000);
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

Console.WriteLine($"measuring: {count} builds over {submitters} connections, {count * Subscribers} deliveries…");
var (wallStart, tickStart) = (DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
DateTimeOffset Wall(long ticks) => wallStart + TimeSpan.FromSeconds((double)(ticks - tickStart) / Stopwatch.Frequency);
double Seconds(long from, long to) => (double)(to - from) / Stopwatch.Frequency;
await SubmitAsync(count);
var submitted = Stopwatch.GetTimestamp();
await arrivals.WaitAsync(count, timeout);
var payloads = arrivals.Payloads();
var times = payloads.ToDictionary(p => p.Id, p => p.Time);
var ours = new Figures(count * Subscribers / Seconds(tickStart, arrivals.LastTicks),
    [.. arrivals.All.Select(a => (Wall(a.Ticks) - times[a.Id]).TotalMilliseconds)]);
Console.WriteLine(F($"  forgeline: {count / Seconds(tickStart, submitted):0} builds (events) submitted/s; {ours.PerSecond:0} deliveries/s; p50 {ours.Percentile(0.5):0.0} ms, p99 {ours.Percentile(0.99):0.0} ms"));

Console.WriteLine("baseline: the same payloads POSTed directly, released when Forgeline published them…");
var urls = subscribers.Select(s => s.Url).ToList();
var first = payloads[0].Time;
arrivals.Clear();
var paced = await RunBaselineAsync([.. payloads.Select(p => (p.Id, p.Time - first, p.Body))]);
Console.WriteLine(F($"  direct, paced: {paced.PerSecond:0} deliveries/s; p50 {paced.Percentile(0.5):0.0} ms, p99 {paced.Percentile(0.99):0.0} ms"));
arrivals.Clear();
var burst = await RunBaselineAsync([.. payloads.Select(p => (p.Id, TimeSpan.Zero, p.Body))]);
Console.WriteLine(F($"  direct, all at once: {burst.PerSecond:0} deliveries/s"));

Console.WriteLine(F(
    $"RESULT events fan-out ({count} events x {Subscribers} subscribers, SQLite) = {ours.PerSecond:0} deliveries/s; peer direct POST of the same payloads at the same moments = {paced.PerSecond:0} deliveries/s; ratio {ours.PerSecond / paced.PerSecond:0.00}; goal >= 2000 deliveries/s and ratio >= 0.5"));
Console.WriteLine(F(
    $"RESULT events publish-to-delivery p50 = {ours.Percentile(0.5):0.0} ms; p99 = {ours.Percentile(0.99):0.0} ms; peer direct POST p99 = {paced.Percentile(0.99):0.0} ms; ratio {ours.Percentile(0.99) / paced.Percentile(0.99):0.00}; goal p99 < 200 ms"));
Console.WriteLine(F(
    $"RESULT events fan-out against direct POST all at once = {ours.PerSecond:0} deliveries/s; limit {burst.PerSecond:0} deliveries/s; {100 * ours.PerSecond / burst.PerSecond:0}% of limit"));
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
