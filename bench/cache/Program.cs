// bench/cache: an unchanged package submitted again. Time from the client's submit until GetBuild says succeeded, for a
// build cache hit and for a cold build of the same package (no-cache, on a worker without ccache), REPS rounds, each
// submission made with the farm at rest; prints the medians and their ratio, for repeated hits and for the first hit
// after a fresh build apart. Also, for information, the same through the CLI as a user types it (`forgeline build DIR
// --follow`: process start, packing, upload, submit, follow).
using System.Diagnostics;
using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;
using Forgeline.Core.Sources;
using Forgeline.Testing;

var reps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
// 0: the C package of the test suite (make and cc compile two tiny files and link them, the smallest real build);
// otherwise a C package of that many generated functions compiled with gcc -O2, for some compile work.
var functions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
var label = functions == 0 ? "the test suite's C package" : $"a C package of {functions} functions";
using var work = new TempDirectory("forgeline-bench-cache");

Console.WriteLine($"{label}: server (--no-worker) and one `forgeline worker --no-ccache`, so a cold build compiles everything…");
await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
var workerToken = await server.CreateWorkerTokenAsync("w1");
await using var worker = ForgelineProcess.Start(
    ["worker", "--server", server.Url.ToString(), "--token", workerToken, "--name", "w1", "--slots", "1", "--work-dir", server.Home["work-w1"], "--no-ccache"],
    new Dictionary<string, string?>(server.Environment));
await worker.WaitForOutputAsync("asking", TimeSpan.FromSeconds(60));
using var client = server.Client();

var package = functions == 0 ? TestPackages.WriteCSpecDirectory(work["src"], "hello") : WriteCompileWork(work["src"], "compilework", functions);
var request = new SubmitBuildRequest(await UploadDirectoryAsync(client, package, work["tmp"]));
var warm = TestPackages.WriteCSpecDirectory(work["src"], "warmup");
var warmRequest = new SubmitBuildRequest(await UploadDirectoryAsync(client, warm, work["tmp"]));

// A farm runs for weeks: untimed builds and cache hits first, so neither path is measured on unoptimised first-pass
// JIT code (.NET recompiles a method with full optimisation after about 30 calls).
Console.WriteLine("warming up…");
await TimeToFinishedAsync(client, warmRequest, expectCached: false, settle: false);
for (var i = 0; i < 50; i++)
{
    await TimeToFinishedAsync(client, warmRequest, expectCached: true, settle: false);
}

// Each round: a cold build, then the first cache hit of it (which stores the hit's one-line log once), then a repeated
// hit (which finds that log stored): an unchanged package submitted again, and again.
var firstHits = new List<double>();
var hits = new List<double>();
var colds = new List<double>();
for (var i = 0; i < reps; i++)
{
    colds.Add(await TimeToFinishedAsync(client, request with { NoCache = true }, expectCached: false));
    firstHits.Add(await TimeToFinishedAsync(client, request, expectCached: true));
    hits.Add(await TimeToFinishedAsync(client, request, expectCached: true));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {i + 1}/{reps}: cold build {colds[^1]:0.000} s, first cache hit {firstHits[^1]:0.0000} s, repeated cache hit {hits[^1]:0.0000} s"));
}

Console.WriteLine("for information, the CLI as a user types it: forgeline build DIR --follow (hit) and --no-cache --follow…");
var cliHits = new List<double>();
var cliColds = new List<double>();
for (var i = 0; i < 3; i++)
{
    cliHits.Add(await CliSecondsAsync(server, package));
    cliColds.Add(await CliSecondsAsync(server, package, "--no-cache"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  CLI medians: cache hit {BenchStatistics.Median(cliHits):0.000} s, cold build {BenchStatistics.Median(cliColds):0.000} s, ratio {BenchStatistics.Median(cliColds) / BenchStatistics.Median(cliHits):0.0}"));

var hit = BenchStatistics.Median(hits);
var firstHit = BenchStatistics.Median(firstHits);
var cold = BenchStatistics.Median(colds);
var ratio = cold / hit;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  ranges: cold build {colds.Min():0.000}–{colds.Max():0.000} s, first hit {firstHits.Min():0.0000}–{firstHits.Max():0.0000} s, repeated hit {hits.Min():0.0000}–{hits.Max():0.0000} s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT cache hit ({label}) = {hit:0.0000} s; cold build = {cold:0.000} s; ratio {ratio:0.0}; goal >= 50 (medians of {reps}, submit to succeeded, the package hit before)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT cache hit ({label}, first after a fresh build) = {firstHit:0.0000} s; cold build = {cold:0.000} s; ratio {cold / firstHit:0.0}; goal >= 50"));
return ratio >= 50 ? 0 : 1;

// Packs the directory as the CLI does (deterministically, so an unchanged directory has the same digest) and uploads it.
static async Task<BuildSource> UploadDirectoryAsync(ForgelineClient client, string directory, string scratch)
{
    Directory.CreateDirectory(scratch);
    var tarball = Path.Combine(scratch, Path.GetFileName(directory) + ".tar.gz");
    await using (var file = File.Create(tarball))
    {
        SourceArchive.Pack(directory, file);
    }

    await using var content = File.OpenRead(tarball);
    var upload = await client.UploadAsync(content, "directory", Path.GetFileName(tarball), await Sha256Hex.OfFileAsync(tarball));
    return new BuildSource(SourceKind.Directory, upload.Sha256, Path.GetFileName(tarball));
}

// Submit, then what a user's client does: look at the build; while it is not final, follow its log (the server pushes it
// until the build ends) and look again.
static async Task<double> TimeToFinishedAsync(ForgelineClient client, SubmitBuildRequest request, bool expectCached, bool settle = true)
{
    // Each measured submission finds the farm at rest, as one user's would: the previous build's worker has removed its
    // work directory and is waiting for work again, instead of doing so on the same two cores during the measurement.
    if (settle)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    var clock = Stopwatch.StartNew();
    var id = (await client.SubmitBuildAsync(request)).Id;
    var build = await client.GetBuildAsync(id);
    while (!build.StateValue.IsFinal())
    {
        await client.StreamLogAsync(id, follow: true, Stream.Null);
        build = await client.GetBuildAsync(id);
    }

    clock.Stop();
    if (build.StateValue != BuildState.Succeeded || (build.CachedFrom is not null) != expectCached)
    {
        throw new InvalidOperationException($"build {id} ended {build.State} (cached from {build.CachedFrom?.ToString(CultureInfo.InvariantCulture) ?? "none"}, expected {(expectCached ? "a hit" : "a real build")}): {build.Reason}");
    }

    return clock.Elapsed.TotalSeconds;
}

static async Task<double> CliSecondsAsync(ForgelineServer server, string directory, params string[] options)
{
    var clock = Stopwatch.StartNew();
    var (code, _, stderr) = await server.CliAsync(["build", directory, "--follow", .. options]);
    clock.Stop();
    return code == 0 ? clock.Elapsed.TotalSeconds : throw new InvalidOperationException($"forgeline build exited {code}: {stderr}");
}

// A spec directory with one C file of generated functions: real compile work for gcc -O2, no dependencies.
static string WriteCompileWork(string parent, string name, int functions)
{
    var dir = Path.Combine(parent, name);
    Directory.CreateDirectory(dir);
    var code = new System.Text.StringBuilder();
    for (var i = 0; i < functions; i++)
    {
        code.Append(CultureInfo.InvariantCulture,
            $"int f{i}(int x) {{ int s = {i}; for (int k = 0; k < x; k++) {{ s = s * 31 + (k ^ {i}); if (s % 7 == {i % 7}) s += k * {i % 13}; }} return s; }}\n");
    }

    code.Append("int main(void) {\n    int t = 0;\n");
    for (var i = 0; i < functions; i++)
    {
        code.Append(CultureInfo.InvariantCulture, $"    t += f{i}({i % 17});\n");
    }

    code.Append("    return t & 1;\n}\n");
    File.WriteAllText(Path.Combine(dir, $"{name}.c"), code.ToString());
    File.WriteAllText(Path.Combine(dir, $"{name}.spec"), $$"""
        Name:     {{name}}
        Version:  1.0
        Release:  1
        Summary:  A C program with some compile work
        License:  MIT
        Source0:  {{name}}.c

        %description
        {{functions}} generated functions, for the cache benchmark.

        %prep
        cp %{SOURCE0} .

        %build
        gcc -O2 -o {{name}} {{name}}.c

        %install
        install -D -m 0755 {{name}} %{buildroot}%{_bindir}/{{name}}

        %files
        %{_bindir}/{{name}}
        """);
    return dir;
}

