// bench/mass-rebuild: a generated project of PACKAGES packages whose BuildRequires form DEPTH levels (ProjectGenerator),
// added to a project and rebuilt as one batch on two `forgeline worker` processes with one slot each (the server runs
// without its embedded worker). The wall time, from the batch's creation to its finish (the server's timestamps), is
// compared with what two builders could do at best given this run's own build durations (StartedAt → FinishedAt):
// max(critical path, total build time / 2). The coordination latency says where the difference comes from.
using System.Diagnostics;
using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;
using Forgeline.Core.Projects;
using Forgeline.Core.Sources;
using Forgeline.MassRebuild;
using Forgeline.Testing;

var packages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var depth = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var busyMegabytes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 250;
using var work = new TempDirectory("forgeline-bench-mass-rebuild");
var project = ProjectGenerator.GenerateLayeredProject(work["mass"], packages, depth, seed: 1, busyMegabytes, prefix: "mass");
Console.WriteLine($"generated {packages} packages in {depth} levels ({project.Packages.Sum(p => p.Requires.Count)} dependency edges), " +
    $"each hashing {busyMegabytes} MB of zeros in %build");

Console.WriteLine("server (--no-worker) and two `forgeline worker` processes, 1 slot each…");
await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
await server.StartWorkerAsync("w1");
await server.StartWorkerAsync("w2");
using var client = server.Client();

// A farm runs for weeks: a small untimed project first (two packages, one depending on the other), so the figures are
// the steady state of the coordinator, signer, publisher and workers, not their first JIT pass.
var warmup = ProjectGenerator.GenerateLayeredProject(work["warmup"], packages: 2, depth: 2, seed: 1, prefix: "warm");
await AddProjectAsync(client, "warmup", warmup);
await FollowAsync(client, "warmup", await client.BuildProjectAsync("warmup", null), quiet: true);

var adding = Stopwatch.StartNew();
await AddProjectAsync(client, "mass", project);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  added {packages} packages in {adding.Elapsed.TotalSeconds:0.0} s (each spec read in the sandbox)"));

Console.WriteLine("mass rebuild: every package of the project as one batch…");
var clock = Stopwatch.StartNew();
var batch = await FollowAsync(client, "mass", await client.BuildProjectAsync("mass", null), quiet: false);
clock.Stop();
var failed = batch.Entries.Where(e => e.State != "succeeded").ToList();
if (failed.Count > 0)
{
    throw new InvalidOperationException($"{failed.Count} packages did not succeed, e.g. {failed[0].Package}: {failed[0].State} {failed[0].Reason}");
}

var builds = new Dictionary<string, BuildDto>(StringComparer.Ordinal);
foreach (var entry in batch.Entries)
{
    builds[entry.Package] = await client.GetBuildAsync(entry.BuildId!.Value);
}

// The farm's own graph (from rpmspec in the sandbox) must be the generator's, or the critical path below is not the one it had.
var differing = batch.Entries.Count(e => !e.WaitsFor.Order(StringComparer.Ordinal).SequenceEqual(project.Packages.Single(p => p.Name == e.Package).Requires));
if (differing > 0)
{
    Console.WriteLine($"  note: for {differing} packages the farm's dependencies differ from the generator's");
}

var figures = RebuildFigures.Of(project, batch, builds);
figures.Print();
var listSchedule = ListSchedule.Makespan(project, name => builds[name].FinishedAt!.Value - builds[name].StartedAt!.Value, workers: 2);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  the same builds on two builders with no coordination latency (longest chain first): {listSchedule.TotalSeconds:0.0} s; wall / that = {figures.Wall / listSchedule:0.000}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (client side, submit to seeing the batch finished: {clock.Elapsed.TotalSeconds:0.0} s)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT mass-rebuild ({packages} packages, depth {depth}, 2 workers x 1 slot) wall = {figures.Wall.TotalSeconds:0.0} s; lower bound = {figures.LowerBound.TotalSeconds:0.0} s " +
    $"(critical path {figures.CriticalPath.TotalSeconds:0.0} s, total/2 {figures.HalfTotal.TotalSeconds:0.0} s); ratio {figures.Ratio:0.000}; goal <= 1.2"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT coordination latency ({packages} packages, depth {depth}; dependency finished -> dependent started, {figures.EdgeLatencies.Count} edges) " +
    $"p50 = {RebuildFigures.Percentile(figures.EdgeLatencies, 50):0} ms; p95 = {RebuildFigures.Percentile(figures.EdgeLatencies, 95):0} ms; " +
    $"last-finishing dependency only p50 = {RebuildFigures.Percentile(figures.BindingLatencies, 50):0} ms; p95 = {RebuildFigures.Percentile(figures.BindingLatencies, 95):0} ms; " +
    $"of which finished -> submitted p50 = {RebuildFigures.Percentile(figures.FinishToSubmit, 50):0} ms; p95 = {RebuildFigures.Percentile(figures.FinishToSubmit, 95):0} ms"));
return figures.Ratio <= 1.2 ? 0 : 1;

// Each package as `forgeline project add-package P NAME DIR` does it: the directory packed, uploaded, added.
static async Task AddProjectAsync(ForgelineClient client, string name, GeneratedProject project)
{
    await client.CreateProjectAsync(new CreateProjectRequest(name));
    foreach (var package in project.Packages)
    {
        using var archive = new MemoryStream();
        SourceArchive.Pack(package.SpecDirectory, archive);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(archive.ToArray()));
        archive.Position = 0;
        var fileName = $"{package.Name}.tar.gz";
        var upload = await client.UploadAsync(archive, "directory", fileName, sha);
        await client.AddPackageAsync(name, new AddPackageRequest(package.Name, new BuildSource(SourceKind.Directory, upload.Sha256, fileName)));
    }
}

// Polls the batch until the server records its finish; prints how far it got every few seconds.
static async Task<BatchDto> FollowAsync(ForgelineClient client, string project, BatchDto batch, bool quiet)
{
    var deadline = Stopwatch.StartNew();
    var lastPrint = Stopwatch.StartNew();
    while (batch.FinishedAt is null)
    {
        if (deadline.Elapsed > TimeSpan.FromMinutes(30))
        {
            throw new TimeoutException($"batch {batch.Id} of {project} has not finished after 30 minutes: {Summary(batch)}");
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200));
        batch = await client.GetBatchAsync(project, batch.Id);
        if (!quiet && lastPrint.Elapsed > TimeSpan.FromSeconds(10))
        {
            Console.WriteLine($"  {deadline.Elapsed.TotalSeconds:0} s: {Summary(batch)}");
            lastPrint.Restart();
        }
    }

    return batch;

    static string Summary(BatchDto batch) => string.Join(", ", batch.Entries.GroupBy(e => e.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));
}
