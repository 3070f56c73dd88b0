namespace Forgeline.Images.Vm;

/// <summary>The command lines that start a job's QEMU: its own arguments, and bubblewrap's around them.</summary>
public static class QemuCommand
{
    private static readonly string[] RootLinks = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];

    /// <summary>Where a job's QEMU keeps its sockets and disk, all in the job directory.</summary>
    public sealed record Paths(string Overlay, string SerialSocket, string QmpSocket);

    /// <summary>Whether <c>/dev/kvm</c> can be opened read-write by this process.</summary>
    public static bool KvmUsable()
    {
        try
        {
            using var kvm = new FileStream("/dev/kvm", FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>KVM or TCG for <paramref name="wanted"/>.</summary>
    public static VmAccelerator Resolve(VmAccelerator wanted) => wanted switch
    {
        VmAccelerator.Auto => KvmUsable() ? VmAccelerator.Kvm : VmAccelerator.Tcg,
        _ => wanted,
    };

    /// <summary>QEMU's arguments for <paramref name="spec"/>: the QMP socket before the serial one, because QEMU stops at the serial socket until the runner connects (so no early output is lost).</summary>
    public static IReadOnlyList<string> Arguments(VmJobSpec spec, Paths paths, VmAccelerator accelerator)
    {
        var args = new List<string>
        {
            "-accel", accelerator == VmAccelerator.Kvm ? "kvm" : "tcg",
            "-machine", "pc", "-smp", "1", "-m", $"{spec.MemoryMb}",
            "-display", "none", "-vga", "std", "-no-reboot", "-monitor", "none", "-parallel", "none",
            "-nic", spec.Network ? "user,restrict=on" : "none",
            "-chardev", $"socket,id=qmp,path={Escape(paths.QmpSocket)},server=on,wait=off", "-mon", "chardev=qmp,mode=control",
            "-chardev", $"socket,id=serial0,path={Escape(paths.SerialSocket)},server=on,wait=on", "-serial", "chardev:serial0",
            "-drive", $"file={Escape(paths.Overlay)},format=qcow2,if=virtio",
        };
        foreach (var attachment in spec.Attachments)
        {
            args.AddRange(["-drive", $"file={Escape(attachment.Path)},format={Escape(attachment.Format)},if=virtio,readonly=on"]);
        }

        if (spec.Boot.Mode == VmBootMode.Direct)
        {
            args.AddRange(["-kernel", spec.Boot.Kernel!, "-initrd", spec.Boot.Initrd!, "-append", spec.Boot.KernelArguments]);
        }

        return args;
    }

    /// <summary>
    /// bubblewrap's arguments that run <paramref name="command"/>: every namespace its own (no network: the user-mode
    /// network lives inside QEMU), no capabilities, the host's <c>/usr</c> read-only, the job directory writable and
    /// the inputs read-only, each at its host path so that paths in QEMU's arguments and in the overlay's backing file hold.
    /// </summary>
    public static IReadOnlyList<string> Sandboxed(IReadOnlyList<string> command, string jobDirectory, IEnumerable<string> readOnlyFiles, bool kvm)
    {
        var args = new List<string> { "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr" };
        foreach (var name in RootLinks)
        {
            var info = new DirectoryInfo("/" + name);
            if (info.LinkTarget is { } target)
            {
                args.AddRange(["--symlink", target, info.FullName]);
            }
            else if (info.Exists)
            {
                args.AddRange(["--ro-bind", info.FullName, info.FullName]);
            }
        }

        args.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        if (kvm)
        {
            args.AddRange(["--dev-bind", "/dev/kvm", "/dev/kvm"]);
        }

        args.AddRange(["--bind", jobDirectory, jobDirectory]);
        foreach (var file in readOnlyFiles.Distinct(StringComparer.Ordinal))
        {
            args.AddRange(["--ro-bind", file, file]);
        }

        args.AddRange(["--chdir", jobDirectory, "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "LANG", "C.UTF-8", "--"]);
        args.AddRange(command);
        return args;
    }

    /// <summary>The full path of <paramref name="program"/>, looked up on PATH if it has no slash.</summary>
    public static string? Locate(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
    }

    // QEMU's option syntax: a comma inside a value is written twice.
    private static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);
}
