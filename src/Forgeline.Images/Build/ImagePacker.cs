using System.Diagnostics;
using Forgeline.Core;
using Forgeline.Images.Definitions;

namespace Forgeline.Images.Build;

/// <summary>
/// Turns an installed root (files owned by the caller, e.g. installed by dnf in a single-uid user namespace) into an
/// image: applies the definition's users, files and setup script, then writes the formats it asks for (qcow2, raw,
/// rootfs, iso) and, for a root with a kernel, always the direct-boot pair <c>vmlinux</c> + <c>initrd</c> the VM tests
/// boot with <c>-kernel</c>. Every tool runs in bubblewrap as uid 0 of a user namespace without network. Everything is
/// made in a directory under the work directory and moved to the output directory only when all of it succeeded.
/// </summary>
public sealed class ImagePacker
{
    /// <summary>The formats a definition may ask for.</summary>
    public static readonly IReadOnlyList<string> Formats = ["qcow2", "raw", "rootfs", "iso"];

    private readonly SandboxTool tools;
    private readonly string? kernelCache;

    /// <summary>
    /// A packer that finds its tools on <paramref name="searchPath"/> (default: this process's PATH) and, when
    /// <paramref name="kernelCache"/> is given, keeps each extracted vmlinux there by the sha256 of its vmlinuz (the
    /// extraction takes seconds and nightly images rarely change kernel).
    /// </summary>
    public ImagePacker(string? searchPath = null, string? kernelCache = null)
    {
        tools = new SandboxTool(searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin");
        this.kernelCache = kernelCache;
    }

    /// <summary>
    /// Customises <paramref name="root"/> (in place) per <paramref name="definition"/> and writes its image files into
    /// <paramref name="outputDirectory"/>; returns them with size and sha256. Throws <see cref="ImageBuildException"/>
    /// with the reason when something cannot be made; then nothing of this build is in the output directory.
    /// </summary>
    public async Task<IReadOnlyList<ImageFile>> PackAsync(
        ImageDefinition definition, string root, string outputDirectory, string workDirectory, Func<string, Task> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(log);
        root = Path.GetFullPath(root);
        outputDirectory = Path.GetFullPath(outputDirectory);
        if (!Directory.Exists(root))
        {
            throw new ImageBuildException($"the root {root} does not exist: install the packages first");
        }

        var unknown = definition.Formats.Where(f => !Formats.Contains(f)).ToList();
        if (unknown.Count > 0)
        {
            throw new ImageBuildException($"unknown image format {string.Join(", ", unknown)}: use {string.Join(", ", Formats)}");
        }

        // Every tool the formats need, before anything is done: a worker without one fails at once, saying which.
        foreach (var tool in RequiredTools(definition))
        {
            tools.Find(tool);
        }

        var staging = Path.Combine(Path.GetFullPath(workDirectory), $"pack-{Guid.NewGuid():N}");
        var output = Path.Combine(staging, "out");
        var scratch = Path.Combine(staging, "work");
        Directory.CreateDirectory(output);
        Directory.CreateDirectory(scratch);
        var total = Stopwatch.GetTimestamp();
        try
        {
            var known = new Dictionary<string, string>(StringComparer.Ordinal);
            var made = await BuildAsync(definition, root, output, scratch, log, known, cancellationToken);
            Directory.CreateDirectory(outputDirectory);

            // The digests at once (one file per core), except those already known (a cached kernel's).
            var files = (await Task.WhenAll(made.Select(async file =>
            {
                var source = Path.Combine(output, file.Name);
                var sha256 = known.TryGetValue(file.Name, out var digest) ? digest : await Task.Run(() => Sha256Hex.OfFileAsync(source, cancellationToken), cancellationToken);
                return new ImageFile(file.Kind, Path.Combine(outputDirectory, file.Name), new FileInfo(source).Length, sha256);
            }))).ToList();

            // Checksums first, then the moves: a failure leaves the output directory as it was, as far as one can.
            foreach (var (_, name) in made)
            {
                File.Move(Path.Combine(output, name), Path.Combine(outputDirectory, name), overwrite: true);
            }

            await log($"image {definition.Name} packed in {Stopwatch.GetElapsedTime(total).TotalSeconds:0.00} s: {string.Join(", ", files.Select(f => $"{Path.GetFileName(f.Path)} {f.Size / 1024} KiB"))}");
            return files;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Writes the ELF kernel to <paramref name="destination"/>; with a kernel cache, from the cache (extracted once per
    /// vmlinuz digest), and then its own digest is known from the cache too: returned, or null when not known.
    /// </summary>
    private async Task<string?> VmlinuxAsync(KernelFiles kernel, string destination, string scratch, Func<string, Task> log, CancellationToken cancellationToken)
    {
        if (kernelCache is null)
        {
            await kernel.ExtractVmlinuxAsync(tools, destination, scratch, cancellationToken);
            return null;
        }

        var cached = Path.Combine(kernelCache, $"vmlinux-{await Sha256Hex.OfFileAsync(kernel.Vmlinuz, cancellationToken)}");
        var digestFile = cached + ".sha256";
        if (!File.Exists(cached))
        {
            Directory.CreateDirectory(kernelCache);
            var partial = $"{cached}.{Guid.NewGuid():N}.partial";
            await kernel.ExtractVmlinuxAsync(tools, partial, scratch, cancellationToken);
            File.Move(partial, cached, overwrite: true);
        }
        else
        {
            await log($"vmlinux of {kernel.Version} from the kernel cache");
        }

        // A hard link where the cache shares the file system (nothing writes the image's files), else a copy.
        if (HardLink.Create(cached, destination) is not null)
        {
            File.Copy(cached, destination, overwrite: true);
        }

        if (File.Exists(digestFile) && (await File.ReadAllTextAsync(digestFile, cancellationToken)).Trim() is { } known && Sha256Hex.IsValid(known))
        {
            return known;
        }

        // Written beside the cached kernel, from the copy just made (a cache file changed since would not match it).
        var digest = await Sha256Hex.OfFileAsync(destination, cancellationToken);
        var partialDigest = $"{digestFile}.{Guid.NewGuid():N}.partial";
        await File.WriteAllTextAsync(partialDigest, digest + "\n", cancellationToken);
        File.Move(partialDigest, digestFile, overwrite: true);
        return digest;
    }

    /// <summary>The programs packing <paramref name="definition"/> runs (the kernel's decompressor is found when needed).</summary>
    public static IReadOnlyList<string> RequiredTools(ImageDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var needed = new List<string> { "bwrap", "sh", "find", "sort", "cpio", "busybox" };
        if (definition.Formats.Contains("rootfs"))
        {
            needed.AddRange(["tar", "gzip"]);
        }

        if (definition.Formats.Contains("qcow2") || definition.Formats.Contains("raw"))
        {
            needed.AddRange(["mkfs.ext4", "mkfs.vfat", "mcopy", "syslinux", "sfdisk", "dd", "qemu-img"]);
        }

        if (definition.Formats.Contains("iso"))
        {
            needed.Add("xorriso");
        }

        return needed;
    }

    /// <param name="known">Gets the digests of files that need not be read again (a cached kernel's), by file name.</param>
    private async Task<List<(string Kind, string Name)>> BuildAsync(
        ImageDefinition definition, string root, string output, string scratch, Func<string, Task> log, Dictionary<string, string> known, CancellationToken cancellationToken)
    {
        var made = new List<(string Kind, string Name)>();
        var name = string.IsNullOrEmpty(definition.Name) ? "image" : definition.Name;
        async Task Step(string what, Func<Task> action)
        {
            var started = Stopwatch.GetTimestamp();
            await action();
            await log($"{what}: {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s");
        }

        await Step("customise the root (users, files, setup)", () => new RootCustomizer(tools).ApplyAsync(definition, root, scratch, log, cancellationToken));
        var bootable = definition.Formats.Any(f => f is "qcow2" or "raw" or "iso");
        KernelFiles? kernel = null;
        if (bootable || Directory.Exists(RootPath.Resolve(root, "/boot")))
        {
            try
            {
                kernel = KernelFiles.Find(root);
            }
            catch (ImageBuildException) when (!bootable)
            {
                // A rootfs-only image of a root without kernel (a container base) needs none.
            }
        }

        var cmdline = string.IsNullOrWhiteSpace(definition.Kernel.Cmdline) ? "console=tty0 console=ttyS0" : definition.Kernel.Cmdline.Trim();
        if (kernel is not null)
        {
            await log($"kernel {kernel.Version}, command line '{cmdline}'");
            var vmlinux = $"{name}.vmlinux";
            await Step("vmlinux (the ELF kernel for direct boot)", async () =>
            {
                if (await VmlinuxAsync(kernel, Path.Combine(output, vmlinux), scratch, log, cancellationToken) is { } digest)
                {
                    known[vmlinux] = digest;
                }
            });
            made.Add(("vmlinux", vmlinux));
            var initrd = $"{name}.initrd";
            await Step("stage-1 initramfs", async () =>
            {
                var modules = await new Initramfs(tools).WriteStageOneAsync(kernel, Path.Combine(output, initrd), scratch, cancellationToken);
                await log($"stage 1 loads {modules.Count} modules: {string.Join(' ', modules)}");
            });
            made.Add(("initrd", initrd));
        }

        if (definition.Formats.Contains("rootfs"))
        {
            var rootfs = $"{name}.rootfs.tar.gz";
            await Step("rootfs tar.gz", () => tools.RunAsync("tar",
                ["--numeric-owner", "--sort=name", "-C", root, "-czf", Path.Combine(output, rootfs), "."], [scratch, output], scratch, cancellationToken));
            made.Add(("rootfs", rootfs));
        }

        if (definition.Formats.Contains("qcow2") || definition.Formats.Contains("raw"))
        {
            var raw = $"{name}.raw";
            var disk = new DiskImage(tools);
            await Step($"raw disk ({definition.DiskSizeMb} MiB: FAT /boot with syslinux, ext4 root)",
                () => disk.WriteRawAsync(root, kernel!, Path.Combine(output, $"{name}.initrd"), cmdline, definition.DiskSizeMb, Path.Combine(output, raw), scratch, cancellationToken));
            if (definition.Formats.Contains("qcow2"))
            {
                var qcow2 = $"{name}.qcow2";
                await Step("qcow2", () => disk.ConvertAsync(Path.Combine(output, raw), Path.Combine(output, qcow2), scratch, cancellationToken));
                made.Add(("qcow2", qcow2));
            }

            if (definition.Formats.Contains("raw"))
            {
                made.Add(("raw", raw));
            }
            else
            {
                File.Delete(Path.Combine(output, raw));
            }
        }

        if (definition.Formats.Contains("iso"))
        {
            var iso = $"{name}.iso";
            var whole = Path.Combine(scratch, "whole-root.cpio");
            await Step("whole-root initramfs", () => new Initramfs(tools).WriteWholeRootAsync(kernel!, root, whole, scratch, cancellationToken));
            await Step("iso (isolinux, xorriso)", () => new IsoImage(tools).WriteAsync(name, kernel!, whole, cmdline, Path.Combine(output, iso), scratch, cancellationToken));
            made.Add(("iso", iso));
        }

        return made;
    }
}
