// bench/bot-deliveries: the review bot under a replay of COUNT signed GitHub deliveries (half comments with a command,
// a quarter pull request events, a quarter pushes, made from the recorded payloads in tests/fixtures) sent over
// CONNECTIONS keep-alive connections to a real `forgeline server` (SQLite) whose bot talks to the fake forge running in
// this process. Figures: deliveries accepted (stored, 202) per second, against a baseline receiver that only checks the
// signature and appends to a file with an fsync per batch; and, per command, the time from just before its delivery was
// sent to the fake forge receiving the call it causes, p50/p99, during the burst and at a steady STEADY_RATE/s.
// Usage: BotDeliveries [COUNT] [CONNECTIONS] [STEADY_COUNT] [STEADY_RATE] [WARM_UP]   (default 20000 32 500 200 5000)
//        BotDeliveries baseline PORT FILE SECRET sync|nosync   (the baseline receiver, started by the benchmark)
using System.Globalization;
using System.Security.Cryptography;
using Forgeline.BotDeliveries;
using Forgeline.Testing;

if (args is ["baseline", var port, var file, var baselineSecret, var sync])
{
    await new BaselineReceiver(baselineSecret, file, sync == "sync").RunAsync(int.Parse(port, CultureInfo.InvariantCulture));
    return 0;
}

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var count = Arg(0, 20000);
var connections = Arg(1, 32);
var steadyCount = Arg(2, 500);
var steadyRate = Arg(3, 200);
var warmUp = Arg(4, 5000);
var timeout = TimeSpan.FromMinutes(20);

var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
using var work = new TempDirectory("forgeline-bench-bot");
var factory = new BenchDeliveries(secret);

// Every command has a pull request of its own (the label POST it causes names it); pull request events go to others.
Console.WriteLine($"signing {warmUp} + {count} + {steadyCount} deliveries…");
const int FirstEventPull = 10_000_001;
var burstEventPulls = Math.Max(1, count / 40);
var warm = factory.Mix(warmUp, firstCommandPull: 1, firstEventPull: FirstEventPull, eventPulls: 50);
var warmCommands = warm.Count(d => d.ActionPath is not null);
var burst = factory.Mix(count, firstCommandPull: 1 + warmCommands, firstEventPull: FirstEventPull + 50, eventPulls: burstEventPulls);
var burstCommands = burst.Count(d => d.ActionPath is not null);
var steady = factory.CommandsOnly(steadyCount, firstPull: 1 + warmCommands + burstCommands);
Console.WriteLine($"  burst: {BenchDeliveries.Describe(burst)}");

await using var forge = await FakeForge.StartAsync();
BenchForge.Seed(forge.State, [.. Enumerable.Range(1, warmCommands + burstCommands + steadyCount), .. Enumerable.Range(FirstEventPull, 50 + burstEventPulls)]);
var config = BenchForge.WriteConfig(work["bot.yaml"], forge, secret);

Console.WriteLine("starting forgeline server (SQLite, --no-worker) and the baseline receivers…");
await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?> { ["FORGELINE_BOT_CONFIG"] = config });
var hook = new Uri(server.Url, "hooks/github");
Console.WriteLine($"  server pid {server.Process.Id}");
var table = new DeliveryTable(server.Home["data/forgeline.db"]);
await using var baseline = await BaselineProcess.StartAsync(work["baseline-fsync.log"], secret, sync: true);
await using var baselineNoSync = await BaselineProcess.StartAsync(work["baseline-nosync.log"], secret, sync: false);
using var replayer = new WebhookReplayer(connections);

// A bot runs for months: untimed deliveries first, so nothing is measured on code that is not optimised yet. It takes
// thousands: with tiered PGO each hot method goes through an instrumented tier before the optimised one, and on two busy
// cores the background compiler lags behind (after 1,000 deliveries it still took a quarter of the server's CPU). Rounds
// of WARM_UP deliveries (fresh ids, the same pull requests) until the compiler thread uses under 5 % of the server's CPU.
const int MaxWarmUpRounds = 8;
Console.WriteLine($"warming up (rounds of {warmUp} deliveries)…");
long before;
for (var round = 1; ; round++)
{
    var set = round == 1 ? warm : factory.Mix(warmUp, firstCommandPull: 1, firstEventPull: FirstEventPull, eventPulls: 50);
    before = await table.MaxIdAsync();
    var (cpuBefore, compilerBefore) = (CpuTime.Of(server.Process.Id), CpuTime.CompilerSeconds(server.Process.Id));
    CheckAllAccepted("warm-up (forgeline)", await replayer.BurstAsync(hook, set, connections));
    await table.WaitProcessedAsync(before, warmUp, timeout);
    await Task.Delay(TimeSpan.FromSeconds(1));
    var (used, compiler) = ((CpuTime.Of(server.Process.Id) - cpuBefore).X, CpuTime.CompilerSeconds(server.Process.Id) - compilerBefore);
    Console.WriteLine(F($"  warm-up round {round}: {warmUp} deliveries; server CPU {used:0.0} s, of which the tiered compiler {compiler:0.0} s ({100 * compiler / used:0} %)"));
    if (compiler < 0.05 * used || round == MaxWarmUpRounds)
    {
        break;
    }
}

for (var round = 0; round < 2; round++)
{
    var set = round == 0 ? warm : factory.Mix(warmUp, firstCommandPull: 1, firstEventPull: FirstEventPull, eventPulls: 50);
    CheckAllAccepted("warm-up (baseline)", await replayer.BurstAsync(baseline.Hook, set, connections));
    CheckAllAccepted("warm-up (baseline, no fsync)", await replayer.BurstAsync(baselineNoSync.Hook, set, connections));
}

Console.WriteLine($"forgeline: {count} deliveries over {connections} connections…");
before = await table.MaxIdAsync();
var cpu = CpuTime.Of(server.Process.Id);
var ours = await replayer.BurstAsync(hook, burst, connections);
var cpuIntake = CpuTime.Of(server.Process.Id) - cpu;
Console.WriteLine(F($"  accepted {ours.Accepted} in {ours.Elapsed.TotalSeconds:0.00} s ({ours.AcceptedPerSecond:0} /s); other answers: {ours.Others}"));
Console.WriteLine(F($"  CPU while sending: server {cpuIntake.X:0.0} s, this process (client, fake forge) {cpuIntake.Y:0.0} s"));
var states = await table.WaitProcessedAsync(before, count, timeout);
var cpuAll = CpuTime.Of(server.Process.Id) - cpu;
Console.WriteLine(F($"  CPU until all were processed: server {cpuAll.X:0.0} s ({cpuAll.X * 1000 / count:0.00} ms per delivery), this process {cpuAll.Y:0.0} s"));
var (firstReceived, lastFinished) = await table.SpanAsync(before);
var processing = (lastFinished - firstReceived).TotalSeconds;
Console.WriteLine(F($"  stored: {DeliveryTable.Describe(states)}; the last processed {processing:0.0} s after the first arrived ({count / processing:0} deliveries/s)"));
foreach (var error in await table.ErrorsAsync(before))
{
    Console.WriteLine($"  recorded error: {error}");
}

var burstLatency = CommandLatencies.Of(forge, burst, ours);
Console.WriteLine($"  command to action during the burst: {burstLatency}");

Console.WriteLine($"baseline (signature check, append, fsync per batch): {count} deliveries over {connections} connections…");
cpu = CpuTime.Of(baseline.ProcessId);
var theirs = await replayer.BurstAsync(baseline.Hook, burst, connections);
var cpuBaseline = CpuTime.Of(baseline.ProcessId) - cpu;
Console.WriteLine(F($"  accepted {theirs.Accepted} in {theirs.Elapsed.TotalSeconds:0.00} s ({theirs.AcceptedPerSecond:0} /s); other answers: {theirs.Others}"));
Console.WriteLine(F($"  CPU while sending: baseline {cpuBaseline.X:0.0} s ({cpuBaseline.X * 1000 / count:0.00} ms per delivery), this process {cpuBaseline.Y:0.0} s"));
var theirsNoSync = await replayer.BurstAsync(baselineNoSync.Hook, burst, connections);
Console.WriteLine(F($"  without the fsync: accepted {theirsNoSync.Accepted} in {theirsNoSync.Elapsed.TotalSeconds:0.00} s ({theirsNoSync.AcceptedPerSecond:0} /s); other answers: {theirsNoSync.Others}"));
Console.WriteLine($"  {await baseline.StopAsync()}; without fsync: {await baselineNoSync.StopAsync()}");

Console.WriteLine($"forgeline at a steady {steadyRate} commands/s: {steadyCount} commands…");
before = await table.MaxIdAsync();
var paced = await replayer.PacedAsync(hook, steady, steadyRate);
await table.WaitProcessedAsync(before, steadyCount, timeout);
var steadyLatency = CommandLatencies.Of(forge, steady, paced);
Console.WriteLine($"  accepted {paced.Accepted}; other answers: {paced.Others}; command to action: {steadyLatency}");
Console.WriteLine($"  forge calls answered in all: {forge.Calls.Count}; server log lines: {server.Process.Output.Count(c => c == '\n')}");

var intakeGoal = ours.AcceptedPerSecond >= 3000 && ours.Accepted == count && states.GetValueOrDefault("done") == count;
var burstGoal = burstLatency.Percentile(0.99) < 100 && burstLatency.Missing == 0 && burstLatency.Repeated == 0;
var steadyGoal = steadyLatency.Percentile(0.99) < 100 && steadyLatency.Missing == 0 && steadyLatency.Repeated == 0;
Console.WriteLine(F(
    $"RESULT bot-deliveries intake ({count} signed deliveries, {connections} connections, SQLite) = {ours.AcceptedPerSecond:0} deliveries/s; peer signature check + append + fsync per batch = {theirs.AcceptedPerSecond:0} deliveries/s; ratio {ours.AcceptedPerSecond / theirs.AcceptedPerSecond:0.00}; goal >= 3000 deliveries/s"));
Console.WriteLine(F(
    $"  peer without the fsync: {theirsNoSync.AcceptedPerSecond:0} deliveries/s (ratio {ours.AcceptedPerSecond / theirsNoSync.AcceptedPerSecond:0.00}); forgeline processed all {count} in {processing:0.0} s ({count / processing:0} deliveries/s)"));
Console.WriteLine(F(
    $"RESULT bot command-to-action during the burst ({burstLatency.Milliseconds.Length} commands among {count} deliveries) p50 = {burstLatency.Percentile(0.5):0.0} ms; p99 = {burstLatency.Percentile(0.99):0.0} ms; peer none (the baseline acts on nothing); goal p99 < 100 ms"));
Console.WriteLine(F(
    $"RESULT bot command-to-action at {steadyRate} commands/s ({steadyLatency.Milliseconds.Length} commands) p50 = {steadyLatency.Percentile(0.5):0.0} ms; p99 = {steadyLatency.Percentile(0.99):0.0} ms; peer none (the baseline acts on nothing); goal p99 < 100 ms"));
return intakeGoal && burstGoal && steadyGoal ? 0 : 1;

static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static void CheckAllAccepted(string what, Replay replay)
{
    if (replay.Accepted != replay.Status.Length)
    {
        throw new InvalidOperationException($"{what}: only {replay.Accepted} of {replay.Status.Length} deliveries were accepted; other answers: {replay.Others}");
    }
}
