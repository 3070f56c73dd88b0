using System.Diagnostics;
using System.Threading.Channels;
using Forgeline.Core.Images;
using Forgeline.Core.Workers;
using Forgeline.Images.Build;
using Forgeline.Images.Definitions;
using Forgeline.Images.Plans;
using Forgeline.Images.Vm;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker;

/// <summary>
/// Image jobs (<see cref="Core.Builds.SourceKind.Image"/>): build an OS image from repositories (dnf into an empty root
/// in the sandbox, then <see cref="ImagePacker"/>), or boot one in QEMU and run a test plan's job on it
/// (<see cref="VmJobRunner"/>). Same log, same uploads, same failure rules as a package build.
/// </summary>
public sealed partial class BuildRunner
{
    /// <summary>Runs an image job; returns the description shown as the build's package (<c>image tiny</c>, <c>vm nightly/install</c>).</summary>
    private async Task<string> RunImageJobAsync(ImageRunnerOptions? images, CancellationToken stop)
    {
        if (images is null)
        {
            throw new JobErrorException("this worker does not run image jobs (QEMU, qemu-img or the image tools are missing, or Forgeline:Worker:Images is off)");
        }

        var specPath = Path.Combine(workDirectory, "src", "image-job.json");
        await DownloadAsync(lease.Source.Blob!, specPath, "the image job", stop);
        var spec = ImageJobSpec.Parse(await File.ReadAllBytesAsync(specPath, stop), out var problem) ?? throw new JobFailedException(problem!);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        limit.CancelAfter(deadline!.Value - jobClock.GetUtcNow());
        try
        {
            if (spec.Build is { } build)
            {
                await BuildImageAsync(build, images, limit.Token);
            }
            else
            {
                await RunVmJobAsync(spec.Vm!, images, limit.Token);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            throw new JobFailedException($"timed out after {lease.TimeoutSeconds}s; the job was stopped");
        }

        return spec.Describe();
    }

    private async Task BuildImageAsync(ImageBuildSpec build, ImageRunnerOptions images, CancellationToken stop)
    {
        var host = roots ?? throw new JobErrorException("image builds need dnf and a root cache on the worker, and this one has none");
        ImageDefinition definition;
        try
        {
            definition = ImageDefinitionReader.Read(build.Definition, build.Name);
        }
        catch (ImageDefinitionException e)
        {
            throw new JobFailedException(e.Message);
        }

        // The root is made empty, outside /build, and filled by dnf from the image's repositories only.
        var area = rootArea = workDirectory + "-root";
        var root = Path.Combine(area, "root");
        var output = Path.Combine(area, "out");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(output);
        var packages = ImagePackages(definition);
        var target = $"image-{build.Name}";
        var jobRoot = new JobRoot(target, lease.Arch, build.Repositories, packages);
        await log.LineAsync($"image {build.Name} ({string.Join(", ", definition.Formats)}) from {string.Join(", ", build.Repositories.Select(r => r.Id))}: installing {string.Join(" ", packages)}");
        var clock = Stopwatch.StartNew();
        var dnf = DnfSetup.Write(jobRoot, Path.Combine(area, "config"), host.Cache.DnfCache(target), host.Server, host.Token, null);
        var network = build.Repositories.Any(r => !r.Url.StartsWith("file:", StringComparison.OrdinalIgnoreCase));
        using (await host.Cache.LockTargetAsync(target, stop))
        {
            await RunStepAsync("installing the image's packages", [.. dnf.InstallCommand(packages)], network, stop,
                request => request with { WorkDirectory = output, Root = new SandboxRoot(root, SandboxRootUse.InstallInto), Binds = dnf.Binds, Environment = dnf.Environment },
                whyItFailed: DnfSetup.Reason);
        }

        // dnf's cache (bound at its path in the root) and the job's mount points are not part of the image.
        DeleteIfExists(Path.Combine(root, DnfSetup.CachePath.TrimStart('/')));
        DeleteIfExists(Path.Combine(root, "build"));
        var list = Path.Combine(output, JobRootReport.PackagesArtifactName);
        File.Move(Path.Combine(output, "packages.txt"), list, overwrite: true);
        await log.LineAsync($"{File.ReadAllLines(list).Length} packages installed in {clock.Elapsed.TotalSeconds:0.00}s");
        await UploadAsync(JobRootReport.PackagesArtifactKind, list, stop);

        var files = Path.Combine(area, "image");
        IReadOnlyList<ImageFile> made;
        try
        {
            made = await new ImagePacker(kernelCache: images.KernelCache).PackAsync(definition, root, files, Path.Combine(area, "pack"), line => log.LineAsync(line), stop);
        }
        catch (ImageBuildException e)
        {
            throw new JobFailedException(e.Message);
        }

        await log.LineAsync($"image built in {clock.Elapsed.TotalSeconds:0.00}s; uploading {made.Count} file(s)");
        foreach (var file in made)
        {
            await log.LineAsync($"  {Path.GetFileName(file.Path)}  {file.Size / (1024 * 1024.0):0.0} MiB  sha256 {file.Sha256}");
            await UploadAsync(ImageArtifacts.Image, file.Path, stop);
        }
    }

    /// <summary>The definition's packages and, when a format boots, its kernel package.</summary>
    private static List<string> ImagePackages(ImageDefinition definition)
    {
        var packages = new List<string>(definition.Packages);
        if (definition.Formats.Any(f => f != "rootfs") && !packages.Contains(definition.Kernel.Package, StringComparer.Ordinal))
        {
            packages.Add(definition.Kernel.Package);
        }

        return packages;
    }

    private async Task RunVmJobAsync(ImageVmJobSpec vm, ImageRunnerOptions images, CancellationToken stop)
    {
        TestJob job;
        try
        {
            job = TestPlanReader.Read(vm.Plan, vm.PlanName).Jobs.SingleOrDefault(j => j.Name == vm.Job)
                ?? throw new JobFailedException($"the plan {vm.PlanName} has no job '{vm.Job}'");
        }
        catch (TestPlanException e)
        {
            throw new JobFailedException(e.Message);
        }

        var inputs = Path.Combine(workDirectory, "inputs");
        Directory.CreateDirectory(inputs);
        var disk = Path.Combine(inputs, "base.qcow2");
        await DownloadAsync(vm.Disk.Sha256, disk, $"the disk {vm.Disk.FileName}", stop);
        var boot = VmBoot.Firmware;
        if (!job.Firmware && vm.Kernel is { } kernel && vm.Initrd is { } initrd)
        {
            var vmlinux = Path.Combine(inputs, "vmlinux");
            var stage1 = Path.Combine(inputs, "initrd");
            await DownloadAsync(kernel.Sha256, vmlinux, $"the kernel {kernel.FileName}", stop);
            await DownloadAsync(initrd.Sha256, stage1, $"the initramfs {initrd.FileName}", stop);
            boot = VmBoot.Direct(vmlinux, stage1, string.IsNullOrWhiteSpace(vm.Cmdline) ? VmBoot.DefaultCommandLine : vm.Cmdline);
        }

        List<VmAttachment> attachments = [];
        if (job.Repository)
        {
            attachments.Add(new VmAttachment(await RepositoryIsoAsync(vm.Repository ?? [], stop)));
        }

        await log.LineAsync($"VM job {vm.PlanName}/{vm.Job}: booting {vm.Disk.FileName} ({(boot.Mode == VmBootMode.Direct ? "its kernel, directly" : "its own bootloader")}), " +
            $"{job.MemoryMb} MiB, {(job.Network ? "isolated user-mode network" : "no network")}, {images.Vm.Accelerator switch { VmAccelerator.Kvm => "KVM", VmAccelerator.Tcg => "TCG", _ => "KVM if usable, else TCG" }}");

        var spec = VmJobSpec.For(job, disk, boot, attachments);
        var (result, directory) = await RunVmAsync(spec, images.Vm, stop);
        try
        {
            if (!result.Passed && result.Reason.StartsWith(VmJobRunner.KvmInternalError, StringComparison.Ordinal) && images.Vm.Accelerator != VmAccelerator.Tcg)
            {
                // /dev/kvm opens but cannot run guests (nested virtualisation): this worker uses TCG from now on.
                images.FallBackToTcg();
                await log.LineAsync($"{result.Reason}; this worker runs its VMs under TCG from now on and drops its kvm label. Running the job again under TCG");
                DeleteIfExists(directory);
                (result, directory) = await RunVmAsync(spec, images.Vm, stop);
            }

            await ReportVmJobAsync(vm, result, stop);
        }
        finally
        {
            DeleteIfExists(directory);
        }
    }

    /// <summary>Runs the VM with its serial console streamed into the build log; the result and the VM's directory (the caller removes it).</summary>
    private async Task<(VmJobResult Result, string Directory)> RunVmAsync(VmJobSpec spec, VmRunnerOptions options, CancellationToken stop)
    {
        // Serial lines arrive on QEMU's reader; the log is written in order by one pump, up to the build's log limit (a
        // guest that floods its console is stopped by its job's time limit, not by filling the server's disk).
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var pump = Task.Run(async () =>
        {
            var cut = false;
            await foreach (var line in lines.Reader.ReadAllAsync(CancellationToken.None))
            {
                var text = $"serial: {line}";
                logBytes += System.Text.Encoding.UTF8.GetByteCount(text) + 1;
                if (logBytes <= lease.LogLimitBytes)
                {
                    await log.LineAsync(text);
                }
                else if (!cut)
                {
                    cut = true;
                    await log.LineAsync($"the serial console passed the build log's limit of {lease.LogLimitBytes} bytes: the rest is not kept");
                }
            }
        }, CancellationToken.None);

        // The VM's directory holds QEMU's unix sockets, whose paths may not pass 107 bytes: a short one under /tmp.
        var directory = Directory.CreateTempSubdirectory("fl-vm-").FullName;
        try
        {
            return (await new VmJobRunner(options).RunAsync(spec, directory, line => lines.Writer.TryWrite(line), stop), directory);
        }
        catch
        {
            DeleteIfExists(directory);
            throw;
        }
        finally
        {
            lines.Writer.TryComplete();
            await pump;
        }
    }

    /// <summary>Logs what the VM job did and uploads what it left; throws when it failed.</summary>
    private async Task ReportVmJobAsync(ImageVmJobSpec vm, VmJobResult result, CancellationToken stop)
    {

        foreach (var step in result.Steps)
        {
            await log.LineAsync($"step {step.Number} {step.Kind} {(step.Passed ? "passed" : "FAILED")} in {step.Duration.TotalSeconds:0.00}s: {step.Text} — {step.Detail}");
        }

        await log.LineAsync($"overlay made in {result.OverlayCreation.TotalMilliseconds:0} ms; first step reached {(result.BootToFirstStep is { } b ? $"{b.TotalSeconds:0.00}s after QEMU started" : "never")}; " +
            $"JUnit: {result.JunitTests} test(s), {result.JunitFailures} failed; job took {result.Duration.TotalSeconds:0.00}s");
        if (!result.Passed && File.Exists(result.QemuLog) && new FileInfo(result.QemuLog).Length > 0)
        {
            var said = await File.ReadAllTextAsync(result.QemuLog, stop);
            await log.LineAsync($"QEMU said: {(said.Length > 2048 ? said[^2048..] : said).Trim()}");
        }

        // What the job leaves is kept whether it passed or not: the screenshot and JUnit files explain a failure.
        foreach (var junit in result.JunitFiles)
        {
            await UploadAsync(ImageArtifacts.JUnit, junit, stop);
        }

        if (result.Screenshot is { } screenshot)
        {
            await UploadAsync(ImageArtifacts.Screenshot, Renamed(screenshot, $"{vm.Job}-failure.png"), stop);
        }

        if (!result.Passed)
        {
            throw new JobFailedException(result.Reason);
        }

        if (result.PublishedDisk is { } published)
        {
            await log.LineAsync($"publishing the job's disk as {vm.Job}.qcow2 ({new FileInfo(published).Length / (1024 * 1024.0):0.0} MiB) for the jobs booting it");
            await UploadAsync(ImageArtifacts.Disk, Renamed(published, $"{vm.Job}.qcow2"), stop);
        }

        await log.LineAsync($"VM job passed: {result.Reason}");
    }

    /// <summary>
    /// The project's publication as an ISO 9660 disk labelled <c>REPOSITORY</c>: its RPMs (checked against the server's
    /// digests) and repodata made here by createrepo_c, in the sandbox without network.
    /// </summary>
    private async Task<string> RepositoryIsoAsync(IReadOnlyList<JobDependency> rpms, CancellationToken stop)
    {
        var directory = Path.Combine(workDirectory, "repository");
        Directory.CreateDirectory(directory);
        foreach (var rpm in rpms)
        {
            if (Path.GetFileName(rpm.FileName) != rpm.FileName || !rpm.FileName.EndsWith(".rpm", StringComparison.Ordinal))
            {
                throw new JobFailedException($"the server sent '{rpm.FileName}' as a repository RPM; only plain .rpm file names are taken");
            }

            var path = Path.Combine(directory, rpm.FileName);
            await DownloadAsync(rpm.Sha256, path, $"repository RPM {rpm.FileName}", stop);
            if (await Core.Sha256Hex.OfFileAsync(path, stop) != rpm.Sha256)
            {
                throw new JobErrorException($"repository RPM {rpm.FileName} does not match its sha256 after download");
            }
        }

        await log.LineAsync($"repository disk: {rpms.Count} RPM(s) of the project's publication, labelled REPOSITORY");
        await RunStepAsync("indexing the repository disk", ["createrepo_c", "--quiet", "--no-database", "/build/repository"], network: false, stop);
        await RunStepAsync("making the repository disk", ["xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-V", "REPOSITORY", "-o", "/build/repository.iso", "/build/repository"], network: false, stop);
        return Path.Combine(workDirectory, "repository.iso");
    }

    /// <summary>Moves <paramref name="path"/> to <paramref name="name"/> beside it (uploads are named by their file).</summary>
    private static string Renamed(string path, string name)
    {
        var renamed = Path.Combine(Path.GetDirectoryName(path)!, name);
        File.Move(path, renamed, overwrite: true);
        return renamed;
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>What a worker that runs image jobs has: its VM runner's settings and where extracted kernels are kept.</summary>
/// <param name="vm">QEMU, qemu-img, bubblewrap and the accelerator.</param>
/// <param name="kernelCache">Extracted vmlinux files by the sha256 of their vmlinuz, or null to extract each time.</param>
public sealed class ImageRunnerOptions(VmRunnerOptions vm, string? kernelCache)
{
    /// <summary>The VM runner's settings; TCG once KVM was found not to work.</summary>
    public VmRunnerOptions Vm { get; private set; } = vm;

    /// <summary>Extracted vmlinux files by the sha256 of their vmlinuz, or null.</summary>
    public string? KernelCache { get; } = kernelCache;

    /// <summary>Whether KVM failed to run a guest here, so VMs run under TCG and the worker no longer says <c>kvm</c>.</summary>
    public bool KvmFailed { get; private set; }

    /// <summary>From now on, VMs run under TCG.</summary>
    public void FallBackToTcg()
    {
        Vm = Vm with { Accelerator = VmAccelerator.Tcg };
        KvmFailed = true;
    }
}
