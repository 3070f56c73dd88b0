// bench/fairness: owner A submits a mass rebuild of COUNT builds, then owner B submits one, on two `forgeline worker`
// processes with one slot each. B's wait (submit → start, submit → finished, from the server's own timestamps) under
// the fair scheduler and under FIFO, one server after the other in the same run, with the same package. The goal: under
// the fair scheduler B starts within one build duration.
using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Tokens;
using Forgeline.Testing;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
using var work = new TempDirectory("forgeline-bench-fairness");
// The smallest real build: a noarch package whose %build sleeps 0.2 s. Uploaded once per server and submitted with
// no-cache, so every build runs.
var srpm = await TestPackages.MakeSrpmAsync(work.Path, "tiny", buildScript: "sleep 0.2");

var fair = await RunAsync("fair", srpm, count);
var fifo = await RunAsync("fifo", srpm, count);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT fairness (A: {count} builds, then B: 1; 2 workers x 1 slot) B waited {fair.StartWait:0.00} s (fair) vs {fifo.StartWait:0.00} s (fifo); " +
    $"finished after {fair.FinishWait:0.00} s vs {fifo.FinishWait:0.00} s; one build takes {fair.Duration:0.00} s; goal: fair wait <= D"));
return fair.StartWait <= fair.Duration ? 0 : 1;

static async Task<Outcome> RunAsync(string scheduler, string srpm, int count)
{
    Console.WriteLine($"{scheduler}: server (--no-worker, Forgeline:Builds:Scheduler={scheduler}) and two `forgeline worker` processes, 1 slot each…");
    await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?> { ["Forgeline__Builds__Scheduler"] = scheduler });
    using var admin = server.Client();
    using var a = server.Client((await admin.CreateTokenAsync(new CreateTokenRequest("rebuild-bot", ["build"], Owner: "owner-a"))).Token);
    using var b = server.Client((await admin.CreateTokenAsync(new CreateTokenRequest("bob", ["build"], Owner: "owner-b"))).Token);
    await server.StartWorkerAsync("w1");
    await server.StartWorkerAsync("w2");

    string blob;
    await using (var file = File.OpenRead(srpm))
    {
        blob = (await a.UploadAsync(file, "srpm", Path.GetFileName(srpm), await Sha256Hex.OfFileAsync(srpm))).Sha256;
    }

    var request = new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, blob, Path.GetFileName(srpm)), NoCache: true);
    // One untimed build per worker first, so the figures are the steady state, not the JIT's first pass.
    var warmups = new[] { await admin.SubmitBuildAsync(request), await admin.SubmitBuildAsync(request) };
    foreach (var warmup in warmups)
    {
        await admin.StreamLogAsync(warmup.Id, follow: true, Stream.Null);
    }

    var mass = new List<long>();
    for (var i = 0; i < count; i++)
    {
        mass.Add((await a.SubmitBuildAsync(request)).Id);
        if ((i + 1) % 100 == 0)
        {
            Console.WriteLine($"  A submitted {i + 1}");
        }
    }

    var submitted = await b.SubmitBuildAsync(request);
    Console.WriteLine($"  B submitted build {submitted.Id}; waiting for it to finish…");
    // The server pushes the log until the build ends, so waiting costs the machine nothing.
    await b.StreamLogAsync(submitted.Id, follow: true, Stream.Null);
    var mine = await b.GetBuildAsync(submitted.Id);
    if (mine.StateValue != BuildState.Succeeded)
    {
        throw new InvalidOperationException($"B's build {mine.Id} ended {mine.State}: {mine.Reason}");
    }

    if (scheduler == "fair")
    {
        // Enough of A's builds for a steady mean duration; the rest are dropped with the server.
        await a.StreamLogAsync(mass[Math.Min(mass.Count, 40) - 1], follow: true, Stream.Null);
    }

    var builds = new List<BuildDto>();
    foreach (var id in mass)
    {
        builds.Add(await a.GetBuildAsync(id));
    }

    var finished = builds.Where(x => x.StateValue == BuildState.Succeeded).ToList();
    if (builds.FirstOrDefault(x => x.StateValue == BuildState.Failed) is { } failed)
    {
        throw new InvalidOperationException($"build {failed.Id} of A failed: {failed.Reason}");
    }

    var startWait = (mine.StartedAt!.Value - mine.SubmittedAt).TotalSeconds;
    var finishWait = (mine.FinishedAt!.Value - mine.SubmittedAt).TotalSeconds;
    var duration = finished.Average(x => (x.FinishedAt!.Value - x.StartedAt!.Value).TotalSeconds);
    var queuedAhead = builds.Count(x => x.StartedAt is null || x.StartedAt > mine.SubmittedAt);
    var overtook = builds.Count(x => x.StartedAt > mine.SubmittedAt && x.StartedAt < mine.StartedAt);
    // What a slot spends per build, lease and reporting included: the pace at which slots free up.
    var first = finished.Min(x => x.StartedAt!.Value);
    var last = finished.Max(x => x.FinishedAt!.Value);
    var cycle = (last - first).TotalSeconds * 2 / finished.Count;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {scheduler}: B started {startWait:0.000} s after its submission and finished after {finishWait:0.000} s; " +
        $"{queuedAhead} builds of A had not started when B was submitted, {overtook} of them started before B"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {scheduler}: {finished.Count} builds of A finished; one build takes {duration:0.000} s (start to finish, mean); a slot takes {cycle:0.000} s per build"));
    return new Outcome(startWait, finishWait, duration);
}

internal sealed record Outcome(double StartWait, double FinishWait, double Duration);
