// bench/playground (issue 16's measure): the time from a learner's "start" (the HTTP request) to the first prompt byte
// arriving over the terminal's WebSocket, through a real `forgeline server` and its embedded playground host: N
// sessions one after another, then 10 at once in rounds, on an environment whose image is built (warm). Beside it two
// peers started directly, without server or WebSocket, timed to their output byte: bwrap alone running `sh -c echo`
// over the same image, and the full sandbox command line Forgeline runs (unshare, tmpfs + overlayfs, setpriv, bwrap)
// with `sh -c echo` in place of the login shell. The cold start (the first session of an environment whose rootfs is a
// .tar.gz the host must extract) is reported apart, with the extraction time from the server's log. Then memory per
// idle session: the sessions' cgroup memory and the server process's RSS growth with 10 sessions at their prompt.
// Goal: p50 < 1 s and p99 < 2 s (MoocStudio: ~20 s).
// Usage: dotnet PlaygroundBench.dll [N]   (default 50; concurrent rounds = N / 10)
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Forgeline.Core.Client;
using Forgeline.Core.Playground;
using Forgeline.Playground.Sessions;
using Forgeline.Testing;
using Forgeline.Testing.Playground;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
const int AtOnce = 10;
var rounds = Math.Max(1, count / AtOnce);
const string Environment = "bench";
string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));

Console.WriteLine("making the test image (bash, coreutils, procps, vim … from the host's packages) and its .tar.gz …");
var image = await PlaygroundTestImage.GetAsync();
using var work = new TempDirectory("forgeline-bench-playground");
var archive = work["rootfs.tar.gz"];
await Run("tar", "-czf", archive, "-C", image, ".");
Console.WriteLine(F($"  {new FileInfo(archive).Length / 1e6:0.0} MB archive"));

Console.WriteLine("starting forgeline server (embedded playground host, 20 sessions, 100 per user) …");
await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?>
{
    ["Forgeline__Playground__Host__MaxSessions"] = "20",
    ["Forgeline__Playground__SessionsPerUser"] = "100",
});
using var admin = server.Client();
using var hosts = new HttpClient { BaseAddress = server.Url };
hosts.DefaultRequestHeaders.Authorization = new("Bearer", server.AdminToken);
await admin.PutPlaygroundEnvironmentAsync(Environment, new PlaygroundEnvironmentDefinition("bench", null, null, new PlaygroundImageDefinition(Rootfs: archive)), timeout.Token);

// 1. Cold: the host has no image of this environment yet; the first start extracts the archive.
var cold = await SessionStart.RunAsync(admin, server.Url, Environment, timeout.Token);
await EndAsync([cold]);
var built = Regex.Match(server.Process.Output, @"Built playground image \S+ in ([0-9.]+)s");
var extraction = built.Success ? double.Parse(built.Groups[1].Value, CultureInfo.InvariantCulture) * 1000 : double.NaN;
Console.WriteLine(F($"cold: first prompt byte after {cold.Prompt.TotalMilliseconds:0} ms (first byte {cold.FirstByte.TotalMilliseconds:0} ms); image built in {extraction:0} ms; the terminal showed {JsonSerializer.Serialize(cold.Screen)}"));

// Warm-up (unreported): the server's and the bench's own first-call costs.
for (var i = 0; i < 3; i++)
{
    await EndAsync([await SessionStart.RunAsync(admin, server.Url, Environment, timeout.Token)]);
}

// 2. One after another: each session ended, and gone from the host, before the next start.
var sequential = new Samples();
var sequentialFirstByte = new Samples();
for (var i = 0; i < count; i++)
{
    var start = await SessionStart.RunAsync(admin, server.Url, Environment, timeout.Token);
    sequential.Add(start.Prompt);
    sequentialFirstByte.Add(start.FirstByte);
    await EndAsync([start]);
}

Console.WriteLine($"sequential: to prompt {sequential.Summary()}; to first byte {sequentialFirstByte.Summary()}");

// 3. Ten at once, in rounds; every round's sessions gone before the next.
var concurrent = new Samples();
var concurrentFirstByte = new Samples();
for (var round = 0; round < rounds; round++)
{
    var starts = await Task.WhenAll(Enumerable.Range(0, AtOnce).Select(_ => SessionStart.RunAsync(admin, server.Url, Environment, timeout.Token)));
    concurrent.AddRange(starts.Select(s => s.Prompt));
    concurrentFirstByte.AddRange(starts.Select(s => s.FirstByte));
    await EndAsync(starts);
}

Console.WriteLine($"concurrent ({AtOnce} at once x {rounds}): to prompt {concurrent.Summary()}; to first byte {concurrentFirstByte.Summary()}");

// 4. Memory per idle session: 10 sessions at their prompt, left alone for 2 s.
var rssBefore = Rss(server.Process.Id);
var idle = await Task.WhenAll(Enumerable.Range(0, AtOnce).Select(_ => SessionStart.RunAsync(admin, server.Url, Environment, timeout.Token)));
await Task.Delay(TimeSpan.FromSeconds(2));
var ids = idle.Select(s => s.Session.Id).ToHashSet();
var usages = (await admin.ListPlaygroundSessionsAsync(timeout.Token)).Where(s => ids.Contains(s.Id) && s.Usage is not null).Select(s => s.Usage!).ToList();
var rssAfter = Rss(server.Process.Id);
// The cgroup charges a shared page (bash, libc from the image's page cache) to the session that touched it first, so
// a warm session's figure is mostly its own writable pages; proportional set size shares those pages out instead.
var pss = ids.Sum(SessionPss) / (double)AtOnce / 1048576.0;
if (usages.Count != AtOnce)
{
    throw new InvalidOperationException($"the sessions list shows the usage of {usages.Count} of the {AtOnce} idle sessions");
}

var sessionMemory = usages.Average(u => u.MemoryBytes) / 1048576.0;
var processes = usages.Average(u => u.Processes);
var rssPerSession = (rssAfter - rssBefore) / (double)AtOnce / 1048576.0;
Console.WriteLine(F($"idle: cgroup memory mean {sessionMemory:0.0} MiB (min {usages.Min(u => u.MemoryBytes) / 1048576.0:0.0}, max {usages.Max(u => u.MemoryBytes) / 1048576.0:0.0}), {processes:0.0} processes; processes' PSS {pss:0.0} MiB; server RSS {rssBefore / 1048576.0:0} -> {rssAfter / 1048576.0:0} MiB"));
await EndAsync(idle);

// 5. The peers, over the same image, started directly.
var bwrap = new Samples();
var sandbox = new Samples();
var mountPoint = Directory.CreateDirectory(work["mnt"]).FullName;
var sandboxCommand = SessionSandbox.CommandLine([image], mountPoint, 64, ["/bin/sh", "-c", "echo"]);
for (var i = 0; i < 3; i++)
{
    await DirectSandbox.TimeToOutputAsync(DirectSandbox.Bwrap(image));
    await DirectSandbox.TimeToOutputAsync(sandboxCommand);
}

for (var i = 0; i < count; i++)
{
    // Interleaved, so both see the same machine load.
    bwrap.Add(await DirectSandbox.TimeToOutputAsync(DirectSandbox.Bwrap(image)));
    sandbox.Add(await DirectSandbox.TimeToOutputAsync(sandboxCommand));
}

Console.WriteLine($"peer bwrap sh -c echo: {bwrap.Summary()}");
Console.WriteLine($"peer forgeline's sandbox command line, sh -c echo: {sandbox.Summary()}");

const string Goal = "goal p50 < 1000 ms, p99 < 2000 ms (MoocStudio ~20 s)";
foreach (var (label, samples) in new[] { ($"sequential ({sequential.Count})", sequential), ($"concurrent ({AtOnce} at once x {rounds} = {concurrent.Count})", concurrent) })
{
    Console.WriteLine(F($"RESULT playground start-to-prompt {label} p50 = {samples.Percentile(0.5):0} ms; p99 = {samples.Percentile(0.99):0} ms; peer bwrap sh -c echo p50 = {bwrap.Percentile(0.5):0.0} ms; ratio p50 {samples.Percentile(0.5) / bwrap.Percentile(0.5):0.0}; {Goal}"));
    Console.WriteLine(F($"RESULT playground start-to-prompt {label} p50 = {samples.Percentile(0.5):0} ms; p99 = {samples.Percentile(0.99):0} ms; peer forgeline sandbox command line sh -c echo p50 = {sandbox.Percentile(0.5):0.0} ms; p99 = {sandbox.Percentile(0.99):0.0} ms; ratio p50 {samples.Percentile(0.5) / sandbox.Percentile(0.5):0.0}; {Goal}"));
}

Console.WriteLine(F($"RESULT playground start-to-prompt cold (first session, image extracted from a {new FileInfo(archive).Length / 1e6:0.0} MB .tar.gz) = {cold.Prompt.TotalMilliseconds:0} ms; of which image build = {extraction:0} ms; warm p50 = {sequential.Percentile(0.5):0} ms; goal reported (excluded from the p50/p99 goal)"));
Console.WriteLine(F($"RESULT playground memory per idle session ({AtOnce} sessions at their bash prompt) cgroup = {sessionMemory:0.0} MiB; its processes' PSS = {pss:0.0} MiB; server RSS growth = {rssPerSession:0.0} MiB per session; peer none; goal reported (no figure set)"));
return 0;

// Ends the sessions and waits until the host has let go of them all (their processes are gone), closing the terminals after.
async Task EndAsync(IReadOnlyList<SessionStart> starts)
{
    await Task.WhenAll(starts.Select(s => admin.EndPlaygroundSessionAsync(s.Session.Id, timeout.Token)));
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        using var list = JsonDocument.Parse(await hosts.GetStringAsync("api/v1/playground/hosts", timeout.Token));
        if (list.RootElement.EnumerateArray().All(h => h.GetProperty("sessions").GetInt32() == 0))
        {
            break;
        }

        if (deadline.Elapsed > TimeSpan.FromSeconds(30))
        {
            throw new TimeoutException("the host did not let go of the ended sessions in 30 s");
        }

        await Task.Delay(20, timeout.Token);
    }

    foreach (var start in starts)
    {
        start.Socket.Abort();
        start.Socket.Dispose();
    }
}

static long Rss(int pid) =>
    long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

// The proportional set size of every process in session <id>'s cgroup (its name ends every line of /proc/PID/cgroup).
static long SessionPss(string id)
{
    long total = 0;
    foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])))
    {
        try
        {
            if (File.ReadLines(Path.Combine(process, "cgroup")).Any(l => l.EndsWith("/" + id, StringComparison.Ordinal)))
            {
                var line = File.ReadLines(Path.Combine(process, "smaps_rollup")).First(l => l.StartsWith("Pss:", StringComparison.Ordinal));
                total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Gone meanwhile.
        }
    }

    return total;
}

static async Task Run(string program, params string[] arguments)
{
    var (code, _, stderr) = await ProcessRunner.RunAsync(program, arguments);
    if (code != 0)
    {
        throw new InvalidOperationException($"{program} exited {code}: {stderr}");
    }
}
