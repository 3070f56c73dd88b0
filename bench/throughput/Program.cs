// bench/throughput: the same COUNT small SRPMs built (1) by a plain `rpmbuild --rebuild` loop running two at a time
// (`xargs -P2`) and (2) through Forgeline on two `forgeline worker` processes with one slot each, no-cache: builds per
// minute, from the first submit until every build is known to have succeeded. The SRPMs are made and uploaded before
// the clock starts.
using System.Diagnostics;
using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Testing;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
// The workers use ccache as they do by default; "no-ccache" runs them without, to see what the compiler cache costs on
// sources it has never seen.
var ccache = !args.Contains("no-ccache");
using var work = new TempDirectory("forgeline-bench-throughput");
Console.WriteLine($"making {count} small SRPMs (a C program compiled with gcc -O2)…");
var srpms = new List<string>();
for (var i = 0; i < count; i++)
{
    srpms.Add(await TestPackages.MakeBenchmarkSrpmAsync(work.Path, $"tp{i:D3}", 0));
}

Console.WriteLine("plain loop: xargs -P2 rpmbuild --rebuild…");
var list = work["srpms.txt"];
await File.WriteAllLinesAsync(list, srpms);
// Made here: two rpmbuilds creating the same parent directory at once can make one of them fail.
Directory.CreateDirectory(work["plain"]);
var one = work["rebuild-one"];
await File.WriteAllTextAsync(one, $"#!/bin/sh\nexec rpmbuild --rebuild --nodeps --define \"_topdir {work["plain"]}/$(basename \"$1\")\" --define \"_tmppath /tmp\" \"$1\"\n");
File.SetUnixFileMode(one, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
var plainCpu = CpuSeconds(Environment.ProcessId).Children;
var plain = Stopwatch.StartNew();
var (code, _, stderr) = await ProcessRunner.RunAsync("xargs", ["-P2", "-n1", "-a", list, one], timeout: TimeSpan.FromHours(1));
plain.Stop();
if (code != 0)
{
    throw new InvalidOperationException($"xargs rpmbuild exited {code}: {stderr}");
}

var peerRate = count / plain.Elapsed.TotalMinutes;
plainCpu = CpuSeconds(Environment.ProcessId).Children - plainCpu;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  {plain.Elapsed.TotalSeconds:0.00} s, {peerRate:0.0} builds/min; rpmbuild used {plainCpu / count:0.000} CPU-s per build"));

Console.WriteLine($"forgeline: server (--no-worker) and two `forgeline worker` processes, 1 slot each, {(ccache ? "with" : "without")} ccache…");
await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?> { ["Forgeline__Worker__Ccache"] = ccache ? "true" : "false" });
var workers = new[] { await server.StartWorkerAsync("w1"), await server.StartWorkerAsync("w2") };
using var client = server.Client();
var requests = new List<SubmitBuildRequest>();
foreach (var srpm in srpms)
{
    await using var file = File.OpenRead(srpm);
    var upload = await client.UploadAsync(file, "srpm", Path.GetFileName(srpm), await Sha256Hex.OfFileAsync(srpm));
    requests.Add(new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Sha256, Path.GetFileName(srpm)), NoCache: true));
}

// A farm runs for weeks: one untimed build per worker first, so the figure is the steady state, not the JIT's first pass.
var warmups = new[] { await client.SubmitBuildAsync(requests[0]), await client.SubmitBuildAsync(requests[1]) };
foreach (var warmup in warmups)
{
    await client.StreamLogAsync(warmup.Id, follow: true, Stream.Null);
}

var cpuBefore = FarmCpu(server, workers);
var farm = Stopwatch.StartNew();
var ids = new List<long>();
foreach (var request in requests)
{
    ids.Add((await client.SubmitBuildAsync(request)).Id);
}

// Builds finish about in submission order: follow each one's log until it ends (the server pushes it), then check it.
var finished = new List<BuildDto>();
foreach (var id in ids)
{
    await client.StreamLogAsync(id, follow: true, Stream.Null);
    var build = await client.GetBuildAsync(id);
    if (build.StateValue != BuildState.Succeeded || !build.Artifacts.Any(a => a.Kind == "rpm"))
    {
        throw new InvalidOperationException($"build {id} ended {build.State}: {build.Reason}");
    }

    finished.Add(build);
}

farm.Stop();
var cpuAfter = FarmCpu(server, workers);
var rate = count / farm.Elapsed.TotalMinutes;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {farm.Elapsed.TotalSeconds:0.00} s, {rate:0.0} builds/min"));
// Where the time went: inside a build (lease to completion) and the gaps on each worker between builds.
var inside = finished.Average(b => (b.FinishedAt!.Value - b.StartedAt!.Value).TotalSeconds);
var gaps = finished.GroupBy(b => b.Worker).SelectMany(g => g.OrderBy(b => b.StartedAt).Zip(g.OrderBy(b => b.StartedAt).Skip(1)))
    .Select(p => (p.Second.StartedAt!.Value - p.First.FinishedAt!.Value).TotalSeconds).DefaultIfEmpty(0).Average();
var perWorker = string.Join(", ", finished.GroupBy(b => b.Worker).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  per build: {inside:0.000} s from lease to completion, {gaps:0.000} s between builds on a worker; builds per worker: {perWorker}"));

// Where the CPU went besides the builds: the server's and the workers' own code. (What runs in the sandbox cannot be
// counted this way: bwrap's pid namespace does not pass its children's CPU time up to the worker.)
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  CPU-s per build spent by forgeline itself: server {(cpuAfter.Server - cpuBefore.Server) / count:0.000}, workers {(cpuAfter.Workers - cpuBefore.Workers) / count:0.000} " +
    $"(rpmbuild itself, in the plain loop: {plainCpu / count:0.000})"));
using (var lastLog = new MemoryStream())
{
    await client.StreamLogAsync(ids[^1], follow: false, lastLog);
    foreach (var line in System.Text.Encoding.UTF8.GetString(lastLog.ToArray()).Split('\n').Where(l => l.StartsWith("forgeline:", StringComparison.Ordinal)))
    {
        Console.WriteLine($"  last build: {line}");
    }
}

var ratio = rate / peerRate;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT throughput ({count} SRPMs, 2 workers x 1 slot{(ccache ? "" : ", no ccache")}) forgeline = {rate:0.0} builds/min; peer xargs -P2 rpmbuild = {peerRate:0.0} builds/min; ratio {ratio:0.000}; goal >= 0.9"));
return ratio >= 0.9 ? 0 : 1;

// CPU seconds of a process itself and of its children it has waited for, from /proc/PID/stat (utime, stime, cutime, cstime).
static (double Self, double Children) CpuSeconds(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    double Ticks(int field) => double.Parse(fields[field - 3], CultureInfo.InvariantCulture) / 100; // fields counted from 1; USER_HZ is 100 on Linux
    return (Ticks(14) + Ticks(15), Ticks(16) + Ticks(17));
}

static (double Server, double Workers) FarmCpu(ForgelineServer server, ForgelineProcess[] workers) =>
    (CpuSeconds(server.Process.Id).Self, workers.Sum(w => CpuSeconds(w.Id).Self));
