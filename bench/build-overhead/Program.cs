// bench/build-overhead: the same N small SRPMs built (1) by a plain sequential `rpmbuild --rebuild` loop and
// (2) through Forgeline — upload, submit, one worker, sandboxed rpmbuild, upload of the artifacts — from the
// first upload until every build has its artifacts. Prints the ratio of the two wall times.
using System.Diagnostics;
using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Testing;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
// Optional extra seconds of build work per package (a sleep in %build), to see how the fixed cost weighs on longer builds.
var extra = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 0;
var label = extra > 0 ? $"{count} SRPMs + {extra.ToString(CultureInfo.InvariantCulture)} s work each" : $"{count} SRPMs";
using var work = new TempDirectory("forgeline-bench");
Console.WriteLine($"making {count} small SRPMs (a C program compiled with gcc -O2)…");
var srpms = new List<string>();
for (var i = 0; i < count; i++)
{
    srpms.Add(await TestPackages.MakeBenchmarkSrpmAsync(work.Path, $"bench{i:D2}", extra));
}

Console.WriteLine("plain loop: rpmbuild --rebuild, one after another…");
var plain = Stopwatch.StartNew();
foreach (var srpm in srpms)
{
    var top = Path.Combine(work.Path, "plain", Path.GetFileName(srpm));
    await ProcessRunner.RunCheckedAsync("rpmbuild", "--rebuild", "--nodeps", "--define", $"_topdir {top}", "--define", "_tmppath /tmp", srpm);
}

plain.Stop();
Console.WriteLine($"  {plain.Elapsed.TotalSeconds:0.00} s");

Console.WriteLine("forgeline: server with one embedded worker…");
// FORGELINE_BENCH_REQUESTS=1 logs every HTTP request the server answers and prints how many each build took (the
// logging costs time itself, so the timed figures of such a run are not the ones to quote).
var countRequests = Environment.GetEnvironmentVariable("FORGELINE_BENCH_REQUESTS") == "1";
await using var server = await ForgelineServer.StartAsync(embeddedWorker: true,
    countRequests ? new Dictionary<string, string?> { ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information" } : null);
List<string> RequestsSoFar() => server.Process.Output.Split('\n').Where(l => l.Contains("Request finished", StringComparison.Ordinal))
    .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"Request finished \S+ (\S+) https?://[^/]+(/[^?\s]*)") is { Success: true } m
        ? $"{m.Groups[1].Value} {System.Text.RegularExpressions.Regex.Replace(m.Groups[2].Value, "/([0-9a-f]{16,}|[0-9]+|[^/]+\\.rpm)(?=/|$)", "/{…}")}"
        : "?").ToList();
using var client = server.Client();
// A farm runs for weeks: one untimed build first, so the figure is the steady state, not the JIT's first pass.
var warmup = await TestPackages.MakeBenchmarkSrpmAsync(work.Path, "warmup", 0);
await using (var warm = File.OpenRead(warmup))
{
    var upload = await client.UploadAsync(warm, "srpm", "warmup-1.0-1.src.rpm", await Sha256Hex.OfFileAsync(warmup));
    var build = await client.SubmitBuildAsync(new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Sha256)));
    await server.WaitForFinalAsync(build.Id);
}

var requestsBefore = RequestsSoFar();
var farm = Stopwatch.StartNew();
var ids = new List<long>();
foreach (var srpm in srpms)
{
    var sha = await Sha256Hex.OfFileAsync(srpm);
    await using var file = File.OpenRead(srpm);
    var upload = await client.UploadAsync(file, "srpm", Path.GetFileName(srpm), sha);
    ids.Add((await client.SubmitBuildAsync(new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Sha256, Path.GetFileName(srpm))))).Id);
}

// Builds run in submission order on the one worker: follow the last one's log (the server pushes it, so waiting
// costs the machine nothing), then check that every build succeeded with its RPM.
await client.StreamLogAsync(ids[^1], follow: true, Stream.Null);
foreach (var id in ids)
{
    var build = await server.WaitForFinalAsync(id);
    if (build.StateValue != BuildState.Succeeded || !build.Artifacts.Any(a => a.Kind == "rpm"))
    {
        throw new InvalidOperationException($"build {id} ended {build.State}: {build.Reason}");
    }
}

farm.Stop();
Console.WriteLine($"  {farm.Elapsed.TotalSeconds:0.00} s");
if (countRequests)
{
    // Upload and submit of the client, then the worker's calls; the client's log follow and final GETs are counted too.
    var requests = RequestsSoFar().Skip(requestsBefore.Count).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  HTTP requests per build: {requests.Count / (double)count:0.0} (client upload, submit and reads included)"));
    foreach (var route in requests.GroupBy(r => r).OrderByDescending(g => g.Count()))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {route.Count() / (double)count,5:0.0}  {route.Key}"));
    }
}

var finished = new List<BuildDto>();
foreach (var id in ids)
{
    finished.Add(await client.GetBuildAsync(id));
}

// Where the time went: time inside a build (lease to completion) and the gaps between builds on the worker.
var inside = finished.Average(b => (b.FinishedAt!.Value - b.StartedAt!.Value).TotalSeconds);
var gaps = finished.Zip(finished.Skip(1)).Average(p => (p.Second.StartedAt!.Value - p.First.FinishedAt!.Value).TotalSeconds);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  per build: {inside:0.000} s from lease to completion, {gaps:0.000} s between builds"));
using (var lastLog = new MemoryStream())
{
    await client.StreamLogAsync(ids[^1], follow: false, lastLog);
    foreach (var line in System.Text.Encoding.UTF8.GetString(lastLog.ToArray()).Split('\n').Where(l => l.StartsWith("forgeline:", StringComparison.Ordinal)))
    {
        Console.WriteLine($"  last build: {line}");
    }
}

var ratio = farm.Elapsed.TotalSeconds / plain.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT build-overhead ({label}, 1 worker) = {farm.Elapsed.TotalSeconds:0.00} s; peer rpmbuild-loop = {plain.Elapsed.TotalSeconds:0.00} s; ratio {ratio:0.000}; goal <= 1.15"));
return ratio <= 1.15 ? 0 : 1;
