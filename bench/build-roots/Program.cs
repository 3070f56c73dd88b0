// bench/build-roots: for a package with 5 BuildRequires from the test distribution, the time from a job's claim (the
// runner starting) to rpmbuild's start in the job's clean root, with a cold root cache (every round a new worker cache)
// and a warm one (the target's base root cached), beside the same steps by hand: dnf --installroot of the base package
// and the 5 BuildRequires into an empty directory (with dnf's metadata cache warm, as a person repeating it would
// have). Warm is the same package again (its BuildRequires layer cached); "base cached" a package whose BuildRequires
// are not cached yet on a cached base (dnf adds them). Prints the medians, the ratios and the cache's disk use.
using System.Diagnostics;
using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;
using Forgeline.Testing;
using Forgeline.Testing.BuildRoots;
using Forgeline.Worker;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;

var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
string[] buildRequires = ["br-one", "br-two", "br-three", "br-four", "br-five"];
using var work = new TempDirectory("forgeline-bench-roots");
Console.WriteLine("making the test distribution (test-buildsys from the host's rpm toolchain, br-one…br-five)…");
var distribution = await TestDistribution.GetAsync();
var srpm = await TestDistribution.BuildSrpmAsync($$"""
    Name:       fivedeps
    Version:    1
    Release:    1
    Summary:    a package with five BuildRequires
    License:    MIT
    BuildArch:  noarch
    {{string.Concat(buildRequires.Select(b => $"BuildRequires: {b}\n"))}}
    %description
    Five BuildRequires.

    %install
    mkdir -p %{buildroot}/usr/share/fivedeps
    cat /usr/share/br-*/br-*.txt > %{buildroot}/usr/share/fivedeps/all

    %files
    /usr/share/fivedeps
    """, work["srpm"]);
var target = new JobRoot("testdist-1-x86_64", "x86_64", [new JobRepository("base", distribution.Url, distribution.PublicKey)], [TestDistribution.BuildsysPackage]);

// By hand: the same dnf configuration a person would write, into an empty directory, then rpmbuild would start.
var conf = Path.Combine(Directory.CreateDirectory(work["by-hand"]).FullName, "dnf.conf");
await File.WriteAllTextAsync(conf, $"""
    [main]
    reposdir=/dev/null
    keepcache=1
    install_weak_deps=0
    tsflags=nodocs
    plugins=0
    [base]
    name=base
    baseurl={distribution.Url}
    gpgcheck=1
    repo_gpgcheck=1
    gpgkey=file://{distribution.PublicKeyPath}
    """);
Directory.CreateDirectory(work["by-hand-home"]);
await File.WriteAllTextAsync(Path.Combine(work["by-hand-home"], ".rpmmacros"), "%_dbpath /var/lib/rpm\n");
async Task<double> ByHandAsync(int round, bool coldMetadata)
{
    var installroot = work[$"by-hand-root-{round}-{coldMetadata}"];
    var cachedir = coldMetadata ? work[$"by-hand-cache-{round}"] : work["by-hand-cache-warm"];
    var clock = Stopwatch.StartNew();
    var start = new ProcessStartInfo("dnf") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in new[] { "-c", conf, "--installroot", installroot, "--releasever", "1", $"--setopt=cachedir={cachedir}", "-y", "-q", "install", TestDistribution.BuildsysPackage }.Concat(buildRequires))
    {
        start.ArgumentList.Add(arg);
    }

    start.Environment["HOME"] = work["by-hand-home"];
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var errors = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"dnf by hand failed: {await errors}{await output}");
    }

    return clock.Elapsed.TotalSeconds;
}

var transfer = new FileJobTransfer();
var sha = await transfer.AddAsync(srpm);
var lease = new JobLease(1, "bench", 1, new BuildSource(SourceKind.Srpm, sha, Path.GetFileName(srpm)), "x86_64", 600, 64 * 1024 * 1024, 60, Root: target);
using var http = new HttpClient();
async Task<(double ToRpmbuild, JobRootReport Report)> ForgelineAsync(RootCache cache, int round)
{
    var log = new StartWatch();
    var runner = new BuildRunner(transfer, new BubblewrapSandbox(), lease, log, work[$"job-{round}-{Guid.NewGuid():N}"[..20]], roots: new BuildRootHost(cache, http, null, null));
    await runner.RunAsync(CancellationToken.None);
    return (log.RpmbuildStarted ?? throw new InvalidOperationException("rpmbuild never started"), runner.RootReport!);
}

Console.WriteLine($"{rounds} rounds, interleaved: dnf --installroot by hand into an empty directory (metadata cache cold, then warm), and forgeline's claim to rpmbuild start with a new root cache…");
await ByHandAsync(0, coldMetadata: false);
var handCold = new List<double>();
var handWarm = new List<double>();
var cold = new List<double>();
for (var i = 1; i <= rounds; i++)
{
    handCold.Add(await ByHandAsync(i, coldMetadata: true));
    handWarm.Add(await ByHandAsync(i, coldMetadata: false));
    using (var fresh = new RootCache(work[$"cold-cache-{i}"], 1L << 30))
    {
        cold.Add((await ForgelineAsync(fresh, i)).ToRpmbuild);
    }

    // Each round leaves ~120 MB of roots: removed, so that writing them back does not slow the next rounds.
    foreach (var done in new[] { work[$"by-hand-root-{i}-True"], work[$"by-hand-root-{i}-False"], work[$"by-hand-cache-{i}"], work[$"cold-cache-{i}"] })
    {
        Directory.Delete(done, recursive: true);
    }
}

Console.WriteLine("forgeline with the target's base root cached, and with this package's BuildRequires layer cached too…");
using var cache = new RootCache(work["warm-cache"], 1L << 30);
// Warming up: the first build fills the base behind it; the second lays and caches this package's BuildRequires.
await ForgelineAsync(cache, 0);
await cache.WhenIdleAsync();
await ForgelineAsync(cache, 1);
var warm = new List<double>();
JobRootReport? last = null;
for (var i = 1; i <= rounds; i++)
{
    var (seconds, report) = await ForgelineAsync(cache, 100 + i);
    warm.Add(seconds);
    last = report;
}

// The base cached but not this set of BuildRequires (a different package on the same target): dnf adds the layer.
var baseOnly = new List<double>();
for (var i = 1; i <= rounds; i++)
{
    Directory.Delete(Path.Combine(cache.TargetDirectory(target.Target), "layers"), recursive: true);
    baseOnly.Add((await ForgelineAsync(cache, 200 + i)).ToRpmbuild);
}

string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
var (mHandCold, mHandWarm, mCold, mWarm, mBase) = (BenchStatistics.Median(handCold), BenchStatistics.Median(handWarm), BenchStatistics.Median(cold), BenchStatistics.Median(warm), BenchStatistics.Median(baseOnly));
Console.WriteLine($"by hand (metadata cold): {string.Join(" ", handCold.Select(F))}");
Console.WriteLine($"by hand (metadata warm): {string.Join(" ", handWarm.Select(F))}");
Console.WriteLine($"forgeline cold:          {string.Join(" ", cold.Select(F))}");
Console.WriteLine($"forgeline warm:          {string.Join(" ", warm.Select(F))}");
Console.WriteLine($"forgeline base cached:   {string.Join(" ", baseOnly.Select(F))}");
Console.WriteLine($"warm root: resolve {F(last!.ResolveSeconds)} s, install {F(last.InstallSeconds)} s, {last.Packages} packages");
Console.WriteLine($"RESULT build-roots cold (5 BuildRequires, median of {rounds}) = {F(mCold)} s; peer dnf-by-hand (metadata cold) = {F(mHandCold)} s; ratio {(mCold / mHandCold).ToString("0.000", CultureInfo.InvariantCulture)}; goal <= 1.2");
Console.WriteLine($"RESULT build-roots warm (5 BuildRequires, median of {rounds}) = {F(mWarm)} s; peer dnf-by-hand (metadata warm) = {F(mHandWarm)} s; ratio {(mWarm / mHandWarm).ToString("0.000", CultureInfo.InvariantCulture)}; goal < 2 s and <= 0.3");
Console.WriteLine($"RESULT build-roots base cached, BuildRequires installed (5 BuildRequires, median of {rounds}) = {F(mBase)} s; peer dnf-by-hand (metadata warm) = {F(mHandWarm)} s; ratio {(mBase / mHandWarm).ToString("0.000", CultureInfo.InvariantCulture)}; goal < 2 s and <= 0.3");
Console.WriteLine($"RESULT build-roots cache disk use for target {target.Target} = {(cache.DiskUse(target.Target) / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture)} MiB (base root and dnf metadata; RPMs from file:// repositories are not copied)");

/// <summary>A build log that notes when the runner announces rpmbuild in the root: the end of the root's preparation.</summary>
internal sealed class StartWatch : IBuildLog
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public double? RpmbuildStarted { get; private set; }

    public Task WriteAsync(ReadOnlyMemory<byte> bytes) => Task.CompletedTask;

    public Task LineAsync(string text)
    {
        if (RpmbuildStarted is null && text.StartsWith("rebuilding ", StringComparison.Ordinal) && text.EndsWith(" in the build root", StringComparison.Ordinal))
        {
            RpmbuildStarted = clock.Elapsed.TotalSeconds;
        }

        return Task.CompletedTask;
    }
}
