// bench/fault-run: a repeated fault run. ROUNDS rounds, each on a fresh server (SQLite) with two workers of one or two
// slots: BUILDS small packages whose %build sleeps 0.5-3 s are submitted, and while they run the server or a worker is
// killed with SIGKILL every 5-15 s and started again after 0-3 s (the server on the same data directory and port). Then
// a full-disk phase: the server's data directory on a 64 MiB tmpfs, filled for 20 s while 20 builds run. Counts builds
// lost, finished twice, failed (the attempt limit apart), work directories left behind after a clean stop, and the time
// from each restart until the farm made progress again. Leases are short (3 s, reaped every second), as in the
// end-to-end resilience tests, so a lost worker's build is queued again within seconds.
using System.Globalization;
using Forgeline.FaultRun;
using Forgeline.Testing;

var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var perRound = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.TickCount & 0x7fffffff;
const int DiskBuilds = 20;
var random = new Random(seed);
Console.WriteLine($"fault run: {rounds} rounds of {perRound} builds, then a full-disk phase of {DiskBuilds} builds; seed {seed} (pass it as the third argument to repeat the draws)");
if (Environment.UserName != "root")
{
    Console.WriteLine("the full-disk phase mounts a tmpfs: run as root");
    return 2;
}

var settings = new Dictionary<string, string?>
{
    ["Forgeline__Builds__LeaseSeconds"] = "3",
    ["Forgeline__Builds__ReapIntervalSeconds"] = "1",
    // A worker that reports an error waits out a backoff before the retry; a second keeps the round short. The attempt
    // limit stays at its default (3): a build that runs into it is counted apart.
    ["Forgeline__Builds__RetryBackoffSeconds"] = "1",
    ["Forgeline__Worker__Ccache"] = "false",
};

using var work = new TempDirectory("forgeline-fault-packages");
Console.WriteLine($"making {Math.Max(perRound, DiskBuilds)} small SRPMs whose %build sleeps 0.5-3 s…");
var srpms = new List<string>();
for (var i = 0; i < Math.Max(perRound, DiskBuilds); i++)
{
    var sleep = (0.5 + (random.NextDouble() * 2.5)).ToString("0.0", CultureInfo.InvariantCulture);
    srpms.Add(await TestPackages.MakeSrpmAsync(work.Path, $"fault{i:D3}", buildScript: $"echo sleeping {sleep}; sleep {sleep}; echo slept"));
}

var results = new List<ScenarioFigures>();
var killRound = new KillRound(settings, random);
for (var round = 1; round <= rounds; round++)
{
    results.Add(await killRound.RunAsync($"round {round}", srpms.Take(perRound).ToList()));
}

var disk = await new DiskFullPhase(settings).RunAsync(srpms.Take(DiskBuilds).ToList());

Console.WriteLine();
ResultTable.Print(results, disk.Figures);
Console.WriteLine();
Console.WriteLine("kills (target, seconds from the kill until the new process was ready):");
foreach (var figures in results)
{
    Console.WriteLine($"  {figures.Name}: " + string.Join(", ", figures.Kills.Select(k => string.Create(CultureInfo.InvariantCulture,
        $"{k.Target} {(k.RestartedAt - k.KilledAt).TotalSeconds:0.0}"))));
}

var total = ResultTable.Total(results);
var workerKills = total.Kills.Where(k => k.Target != "server").ToList();
var serverKills = total.Kills.Where(k => k.Target == "server").ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"restart to ready: server median {Median(serverKills.Select(k => (k.RestartedAt - k.KilledAt).TotalSeconds))} s, worker median {Median(workerKills.Select(k => (k.RestartedAt - k.KilledAt).TotalSeconds))} s (including the 0-3 s down)"));
Console.WriteLine($"recovery (restart until the next build started or finished), median / max s: after a server kill {ResultTable.RecoveryText(total.Recovery.Where(r => r.Target == "server"))}, " +
    $"after a worker kill {ResultTable.RecoveryText(total.Recovery.Where(r => r.Target != "server"))}, all {ResultTable.RecoveryText(total.Recovery)}");
Console.WriteLine($"builds that needed more than one attempt: {total.Retried.Count} (histories in the log directories)");
Console.WriteLine($"disk-full: the filler took {disk.FillerBytes / 1048576.0:0.0} MiB for {DiskFullPhase.FullFor.TotalSeconds:0} s; builds flowed again {(disk.FlowAgainSeconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "never")} after it was deleted");
foreach (var line in disk.Observations)
{
    Console.WriteLine($"  {line}");
}

var findings = total.Findings.Concat(disk.Figures.Findings).ToList();
Console.WriteLine(findings.Count == 0 ? "findings: none" : $"findings ({findings.Count}):");
foreach (var finding in findings)
{
    Console.WriteLine($"  {finding}");
}

var d = disk.Figures;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT fault-run kill -9 ({rounds} rounds x {perRound} builds, {serverKills.Count} server + {workerKills.Count} worker kills, 2 workers) lost = {total.Lost.Count} builds; finished twice = {total.FinishedTwice.Count}; " +
    $"succeeded = {total.Succeeded}; failed at the attempt limit = {total.FailedAttemptLimit}; failed otherwise = {total.FailedOther}; still queued = {total.StillQueued}; " +
    $"work dirs left = {total.LeftoverDirectories}; recovery median = {Median(total.Recovery.Select(r => r.Seconds))} s; max = {(total.Recovery.Count == 0 ? "-" : total.Recovery.Max(r => r.Seconds).ToString("0.0", CultureInfo.InvariantCulture))} s; goal 0 lost, 0 twice"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT fault-run disk full ({DiskBuilds} builds, data directory on a 64 MiB tmpfs full for {DiskFullPhase.FullFor.TotalSeconds:0} s) lost = {d.Lost.Count} builds; finished twice = {d.FinishedTwice.Count}; " +
    $"succeeded = {d.Succeeded}; failed = {d.FailedAttemptLimit + d.FailedOther} ({d.FailedAttemptLimit} at the attempt limit); retries = {d.Retries}; " +
    $"flowing again after = {(disk.FlowAgainSeconds is { } f ? f.ToString("0.0", CultureInfo.InvariantCulture) : "never")} s; goal 0 lost, 0 twice"));
return total.Lost.Count + total.FinishedTwice.Count + d.Lost.Count + d.FinishedTwice.Count == 0 ? 0 : 1;

static string Median(IEnumerable<double> values)
{
    var list = values.ToList();
    return list.Count == 0 ? "-" : BenchStatistics.Median(list).ToString("0.0", CultureInfo.InvariantCulture);
}
