namespace Forgeline.Images.Build;

/// <summary>
/// The initramfs images of a build, newc cpio archives made in the packing sandbox (owner root): the stage-1 one
/// (static busybox + the modules a virtio disk, ext4, a CD-ROM and the bochs VGA console need; <c>/init</c> loads
/// them, mounts <c>root=</c> and switch_roots to its <c>/sbin/init</c>) and the whole-root one of the ISO (the root
/// itself with the same <c>/init</c>, which without <c>root=</c> runs the root's <c>/sbin/init</c> from RAM).
/// </summary>
public sealed class Initramfs(SandboxTool tools)
{
    /// <summary>
    /// The modules stage 1 loads (with what modules.dep says they depend on), when the kernel has them as modules.
    /// crc32c is ext4's soft dependency (through the crypto API, so not in modules.dep): without it ext4 cannot mount.
    /// </summary>
    public static readonly IReadOnlyList<string> Modules =
        ["virtio_pci", "virtio_blk", "virtio_scsi", "crc32c_intel", "crc32c_generic", "ext4", "sr_mod", "isofs", "bochs"];

    private const string Init = """
        #!/.fl-stage1/busybox sh
        # Stage 1 of a Forgeline image: load the disk drivers, mount root= and hand over to its /sbin/init.
        B=/.fl-stage1/busybox
        export PATH=/usr/sbin:/usr/bin:/sbin:/bin
        $B mkdir -p /proc /sys /dev /newroot
        $B mount -t proc proc /proc; $B mount -t sysfs sys /sys; $B mount -t devtmpfs dev /dev
        root=; fstype=ext4; flags=rw
        for a in $($B cat /proc/cmdline); do
          case $a in root=*) root=${a#root=};; rootfstype=*) fstype=${a#rootfstype=};; ro) flags=ro;; esac
        done
        for m in $($B cat /.fl-stage1/modules.order); do $B insmod /.fl-stage1/modules/$m 2>/dev/null; done
        if [ -z "$root" ]; then
          # The whole root is this initramfs (the ISO): run its init from RAM.
          $B umount /proc /sys; $B umount /dev 2>/dev/null
          exec /sbin/init
        fi
        i=0
        while [ ! -b "$root" ] && [ $i -lt 200 ]; do $B sleep 0.05; i=$((i+1)); done
        $B mount -t "$fstype" -o "$flags" "$root" /newroot || { echo "FL-STAGE1: cannot mount $root as $fstype"; exec $B sh; }
        $B umount /proc /sys; $B mount --move /dev /newroot/dev 2>/dev/null || $B umount /dev
        exec $B switch_root /newroot /sbin/init

        """;

    /// <summary>Writes the stage-1 initramfs to <paramref name="destination"/>; returns the modules it holds.</summary>
    public async Task<IReadOnlyList<string>> WriteStageOneAsync(KernelFiles kernel, string destination, string workDirectory, CancellationToken cancellationToken)
    {
        var tree = Path.Combine(workDirectory, "stage1");
        var modules = await FillAsync(kernel, tree, cancellationToken);
        foreach (var directory in new[] { "proc", "sys", "dev", "newroot", "bin" })
        {
            Directory.CreateDirectory(Path.Combine(tree, directory));
        }

        File.CreateSymbolicLink(Path.Combine(tree, "bin", "sh"), "/.fl-stage1/busybox");
        await ArchiveAsync(tree, destination, workDirectory, cancellationToken);
        Directory.Delete(tree, recursive: true);
        return modules;
    }

    /// <summary>Writes the whole root plus the stage-1 files (as a second, concatenated archive) to <paramref name="destination"/>.</summary>
    public async Task WriteWholeRootAsync(KernelFiles kernel, string root, string destination, string workDirectory, CancellationToken cancellationToken)
    {
        var tree = Path.Combine(workDirectory, "stage1-extra");
        await FillAsync(kernel, tree, cancellationToken);
        var first = destination + ".root";
        await ArchiveAsync(root, first, workDirectory, cancellationToken);
        var second = destination + ".extra";
        await ArchiveAsync(tree, second, workDirectory, cancellationToken);
        // The kernel unpacks concatenated archives in order: /init of the second wins.
        await using (var output = File.Create(destination))
        {
            foreach (var part in new[] { first, second })
            {
                await using var input = File.OpenRead(part);
                await input.CopyToAsync(output, cancellationToken);
            }
        }

        File.Delete(first);
        File.Delete(second);
        Directory.Delete(tree, recursive: true);
    }

    private async Task<IReadOnlyList<string>> FillAsync(KernelFiles kernel, string tree, CancellationToken cancellationToken)
    {
        var stage = Path.Combine(tree, ".fl-stage1");
        var moduleDirectory = Path.Combine(stage, "modules");
        Directory.CreateDirectory(moduleDirectory);
        File.Copy(tools.Find("busybox"), Path.Combine(stage, "busybox"));
        var order = new List<string>();
        if (kernel.ModulesDirectory is { } modules)
        {
            foreach (var relative in ModuleClosure(modules))
            {
                var name = Path.GetFileName(relative);
                var source = Path.Combine(modules, relative);
                if (name.EndsWith(".ko", StringComparison.Ordinal))
                {
                    File.Copy(source, Path.Combine(moduleDirectory, name));
                }
                else
                {
                    // busybox insmod reads plain .ko files only.
                    var tool = name.EndsWith(".xz", StringComparison.Ordinal) ? "xz" : name.EndsWith(".zst", StringComparison.Ordinal) ? "zstd" : "gzip";
                    name = name[..name.LastIndexOf('.')];
                    await tools.RunAsync(tool, ["-dc", source], [tree], tree, cancellationToken, stdoutPath: Path.Combine(moduleDirectory, name));
                }

                order.Add(name);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(stage, "modules.order"), string.Join('\n', order) + "\n", cancellationToken);
        var init = Path.Combine(tree, "init");
        await File.WriteAllTextAsync(init, Init, cancellationToken);
        File.SetUnixFileMode(init, (UnixFileMode)0b111_101_101);
        return order;
    }

    /// <summary>
    /// The module files (relative to the modules directory) for <see cref="Modules"/> and their dependencies, each after
    /// what it depends on, from <c>modules.dep</c>. Modules built into the kernel, or that it lacks, are left out.
    /// </summary>
    public static IReadOnlyList<string> ModuleClosure(string modulesDirectory)
    {
        var depFile = Path.Combine(modulesDirectory, "modules.dep");
        if (!File.Exists(depFile))
        {
            throw new ImageBuildException($"the kernel's modules have no modules.dep ({depFile}): the kernel package must run depmod");
        }

        var dependencies = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(depFile))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                dependencies[line[..colon]] = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        var byName = dependencies.Keys.ToLookup(ModuleName, StringComparer.Ordinal);
        var ordered = new List<string>();
        void Visit(string path)
        {
            if (ordered.Contains(path))
            {
                return;
            }

            foreach (var dependency in dependencies.GetValueOrDefault(path, []).Reverse())
            {
                Visit(dependency);
            }

            ordered.Add(path);
        }

        foreach (var module in Modules)
        {
            foreach (var path in byName[module].Concat(byName[module.Replace('_', '-')]).Take(1))
            {
                Visit(path);
            }
        }

        return ordered;
    }

    private static string ModuleName(string path)
    {
        var name = Path.GetFileName(path);
        var ko = name.IndexOf(".ko", StringComparison.Ordinal);
        return ko < 0 ? name : name[..ko];
    }

    private async Task ArchiveAsync(string tree, string destination, string workDirectory, CancellationToken cancellationToken)
    {
        // Inside the namespace the caller's files are root's, so the archive says owner 0 without --owner.
        const string Script = "cd \"$1\" && find . -print | LC_ALL=C sort | cpio -o -H newc --quiet";
        await tools.RunAsync("sh", ["-c", Script, "archive", tree], [workDirectory, Path.GetDirectoryName(destination)!], workDirectory, cancellationToken, stdoutPath: destination);
    }
}
