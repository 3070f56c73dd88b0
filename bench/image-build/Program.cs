// bench/image-build: the tiny test image (fl-base, fl-kernel, fl-rpm, fl-hello from the tiny distribution; qcow2 with a
// syslinux boot partition, plus the direct-boot vmlinux and stage-1 initramfs) built by the worker's own code path
// (BuildRunner with an image job: dnf into an empty root in the sandbox, then ImagePacker), beside the same steps by
// hand (by-hand.sh: dnf --installroot in bwrap, a stage-1 cpio, mkfs.ext4 -d, mkfs.vfat + syslinux, sfdisk, dd,
// qemu-img convert), interleaved, both with dnf's cache warm and the kernel's vmlinux extracted once (the worker keeps
// it by the vmlinuz's digest). Then the time from QEMU's start to the first test step (FL-READY) under TCG, booting the
// kernel directly and through the disk's own bootloader; and the cost of a job's overlay over the tiny image and over a
// 2 GiB base. Prints RESULT lines.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Images;
using Forgeline.Core.Workers;
using Forgeline.Images.Plans;
using Forgeline.Images.Vm;
using Forgeline.Testing;
using Forgeline.Testing.Images;
using Forgeline.Worker;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;

var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
using var work = new TempDirectory("forgeline-bench-image");
Console.WriteLine("making the tiny distribution (Debian's kernel, busybox and rpm as signed RPMs)…");
var distribution = await TinyDistribution.GetAsync();
string[] packages = [.. TinyDistribution.ImagePackages];
string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

// Forgeline: the worker's runner on an image job, its uploads kept in a directory.
var transfer = new FileJobTransfer(work["uploads"]);
var definition = $"name: tiny\nrepositories: [{{project: tiny}}]\npackages: [{string.Join(", ", packages)}]\nformats: [qcow2]\nkernel: {{package: fl-kernel}}\ndisk_size_mb: 128\n";
var spec = new ImageJobSpec(Build: new ImageBuildSpec("tiny", definition, [new JobRepository("tiny", distribution.Url, distribution.PublicKey)]));
var specPath = work["tiny.image.json"];
await File.WriteAllBytesAsync(specPath, JsonSerializer.SerializeToUtf8Bytes(spec, ForgelineJson.Options));
var lease = new JobLease(1, "bench", 1, new BuildSource(SourceKind.Image, await transfer.AddAsync(specPath), "tiny.image.json"), "x86_64", 600, 64 * 1024 * 1024, 60);
using var http = new HttpClient();
using var cache = new RootCache(work["root-cache"], 1L << 30);
var images = new ImageRunnerOptions(new VmRunnerOptions { Accelerator = VmAccelerator.Tcg }, work["vmlinux-cache"]);
var forgelineSteps = new List<(double Install, double Pack)>();
async Task<(double Seconds, IReadOnlyList<string> Log)> ForgelineAsync(int round)
{
    var log = new LineLog();
    var clock = Stopwatch.StartNew();
    var runner = new BuildRunner(transfer, new BubblewrapSandbox(), lease, log, work[$"job-{round}"], roots: new BuildRootHost(cache, http, null, null), images: images);
    await runner.RunAsync(CancellationToken.None);
    var seconds = clock.Elapsed.TotalSeconds;
    double Step(string pattern) => double.Parse(log.Lines.Select(l => System.Text.RegularExpressions.Regex.Match(l, pattern)).First(m => m.Success).Groups[1].Value, CultureInfo.InvariantCulture);
    forgelineSteps.Add((Step(@"^installing the image's packages took ([0-9.]+)s"), Step(@"^image tiny packed in ([0-9.]+) s")));
    return (seconds, log.Lines);
}

// By hand: by-hand.sh with a dnf cache of its own kept between rounds, then the root removed (as the worker does).
var handSteps = new List<(double Install, double Pack)>();
async Task<double> ByHandAsync(int round)
{
    var clock = Stopwatch.StartNew();
    var script = Path.Combine(AppContext.BaseDirectory, "by-hand.sh");
    var result = await ProcessRunner.RunAsync("/bin/sh", [script, distribution.Url, distribution.PublicKeyPath, work[$"by-hand-{round}"], .. packages],
        environment: new Dictionary<string, string?> { ["CACHE"] = work["by-hand-cache"] }, timeout: TimeSpan.FromMinutes(5));
    if (result.ExitCode != 0)
    {
        throw new InvalidOperationException($"by-hand.sh failed ({result.ExitCode}): {result.Stderr}{result.Stdout}");
    }

    // The worker removes its root when the job ends; so does a person's script.
    Directory.Delete(Path.Combine(work[$"by-hand-{round}"], "root"), recursive: true);
    Directory.Delete(Path.Combine(work[$"by-hand-{round}"], "stage1"), recursive: true);
    var seconds = clock.Elapsed.TotalSeconds;
    double Step(string name) => double.Parse(System.Text.RegularExpressions.Regex.Match(result.Stdout, $@"{name} (\d+) ms").Groups[1].Value, CultureInfo.InvariantCulture) / 1000;
    handSteps.Add((Step("install"), Step("pack")));
    return seconds;
}

Console.WriteLine("warming up both (dnf's metadata cache, the worker's vmlinux cache)…");
var (firstSeconds, firstLog) = await ForgelineAsync(0);
Console.WriteLine($"first build with Forgeline (extracting vmlinux): {F(firstSeconds)} s");
await ByHandAsync(0);
var forgeline = new List<double>();
var byHand = new List<double>();
IReadOnlyList<string> lastLog = firstLog;
for (var i = 1; i <= rounds; i++)
{
    var (seconds, log) = await ForgelineAsync(i);
    forgeline.Add(seconds);
    lastLog = log;
    byHand.Add(await ByHandAsync(i));
    Directory.Delete(work[$"by-hand-{i}"], recursive: true);
}

var qcow2 = Path.Combine(work["uploads"], "tiny.qcow2");
var sizes = string.Join(", ", Directory.GetFiles(work["uploads"]).Order(StringComparer.Ordinal).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length / (1024 * 1024.0):0.0} MiB"));
Console.WriteLine($"forgeline: {string.Join(" ", forgeline.Select(F))}");
Console.WriteLine($"by hand:   {string.Join(" ", byHand.Select(F))}");
Console.WriteLine($"forgeline's steps in the last round: {string.Join(" | ", lastLog.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"[0-9] ?s\b")))}");
Console.WriteLine($"files: {sizes}");
var warmSteps = forgelineSteps.Skip(1).ToList();
Console.WriteLine($"median install / pack: forgeline {F(BenchStatistics.Median([.. warmSteps.Select(s => s.Install)]))} / {F(BenchStatistics.Median([.. warmSteps.Select(s => s.Pack)]))} s (install: dnf and the package list; pack: customise, vmlinux, stage 1, disk, qcow2, digests); " +
    $"by hand {F(BenchStatistics.Median([.. handSteps.Skip(1).Select(s => s.Install)]))} / {F(BenchStatistics.Median([.. handSteps.Skip(1).Select(s => s.Pack)]))} s");

// Boot to the first step under TCG, each boot on its own overlay of the image.
var runner = new VmJobRunner(new VmRunnerOptions { Accelerator = VmAccelerator.Tcg });
async Task<List<double>> BootAsync(string name, VmBoot boot)
{
    var seconds = new List<double>();
    for (var i = 1; i <= Math.Min(rounds, 3); i++)
    {
        var job = Directory.CreateTempSubdirectory("fl-bench-vm-").FullName;
        try
        {
            var result = await runner.RunAsync(new VmJobSpec { BaseDisk = qcow2, Boot = boot, MemoryMb = 256, Timeout = TimeSpan.FromMinutes(2), Steps = [new TestStep { Wait = "FL-READY" }] }, job);
            if (!result.Passed || result.BootToFirstStep is not { } boot2)
            {
                throw new InvalidOperationException($"the {name} boot failed: {result.Reason}");
            }

            seconds.Add(boot2.TotalSeconds);
        }
        finally
        {
            Directory.Delete(job, recursive: true);
        }
    }

    Console.WriteLine($"boot to the first step, {name}: {string.Join(" ", seconds.Select(F))}");
    return seconds;
}

var direct = await BootAsync("direct (PVH vmlinux + stage-1 initramfs)", VmBoot.Direct(Path.Combine(work["uploads"], "tiny.vmlinux"), Path.Combine(work["uploads"], "tiny.initrd")));
var firmware = await BootAsync("firmware (SeaBIOS, syslinux, bzImage)", VmBoot.Firmware);

// Overlay creation: qemu-img create with the base as backing file, for the tiny image and a 2 GiB allocated base.
var big = work["big.qcow2"];
(await ProcessRunner.RunAsync("qemu-img", ["create", "-q", "-f", "qcow2", "-o", "preallocation=falloc", big, "2G"])).ExitCode.ShouldBeZero("qemu-img create of the 2 GiB base");
var qemuImg = new QemuImage();
async Task<List<double>> OverlaysAsync(string baseDisk)
{
    var ms = new List<double>();
    for (var i = 0; i < 20; i++)
    {
        var overlay = work[$"overlay-{i}.qcow2"];
        var outcome = await qemuImg.CreateOverlayAsync(baseDisk, overlay);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException(outcome.Error);
        }

        ms.Add(outcome.Elapsed.TotalMilliseconds);
        File.Delete(overlay);
    }

    return ms;
}

var tinyOverlays = await OverlaysAsync(qcow2);
var bigOverlays = await OverlaysAsync(big);

var (mF, mH) = (BenchStatistics.Median(forgeline), BenchStatistics.Median(byHand));
Console.WriteLine($"RESULT image-build tiny qcow2 (4 packages, median of {rounds}) = {F(mF)} s; peer by hand (dnf --installroot + mkfs + syslinux + qemu-img) = {F(mH)} s; ratio {F(mF / mH)}; goal <= 1.2");
Console.WriteLine($"RESULT image-build first build with the kernel's vmlinux extracted = {F(firstSeconds)} s");
Console.WriteLine($"RESULT image boot to first step, TCG, direct PVH boot (median of {direct.Count}) = {F(BenchStatistics.Median(direct))} s; through the disk's bootloader = {F(BenchStatistics.Median(firmware))} s");
Console.WriteLine($"RESULT image overlay per job (median of 20) = {BenchStatistics.Median(tinyOverlays):0.0} ms over the {new FileInfo(qcow2).Length / (1024 * 1024.0):0.0} MiB tiny image, {BenchStatistics.Median(bigOverlays):0.0} ms over a 2 GiB base (max {Math.Max(tinyOverlays.Max(), bigOverlays.Max()):0.0} ms); goal < 100 ms, independent of size");

/// <summary>The runner's log lines.</summary>
internal sealed class LineLog : IBuildLog
{
    public List<string> Lines { get; } = [];

    public Task WriteAsync(ReadOnlyMemory<byte> bytes) => Task.CompletedTask;

    public Task LineAsync(string text)
    {
        Lines.Add(text);
        return Task.CompletedTask;
    }
}

internal static class Checks
{
    public static void ShouldBeZero(this int value, string what)
    {
        if (value != 0)
        {
            throw new InvalidOperationException($"{what} failed with exit status {value}");
        }
    }
}
