namespace Forgeline.Images.Vm;

/// <summary>How a VM boots: <see cref="VmBootMode.Direct"/> or <see cref="VmBootMode.Firmware"/>.</summary>
public enum VmBootMode
{
    /// <summary>QEMU loads the kernel itself (<c>-kernel</c>: an ELF vmlinux boots through PVH, skipping the slow decompression under TCG) with an initramfs that mounts the root on the disk.</summary>
    Direct,

    /// <summary>The firmware (SeaBIOS) boots the disk's own bootloader, as a user's VM would.</summary>
    Firmware,
}

/// <summary>How a VM boots; for <see cref="VmBootMode.Direct"/> the kernel, initramfs and command line.</summary>
public sealed record VmBoot(VmBootMode Mode, string? Kernel = null, string? Initrd = null, string CommandLine = VmBoot.DefaultCommandLine, string RootDevice = VmBoot.DefaultRootDevice)
{
    /// <summary>Kernel messages on the VGA console (what a failure screenshot shows) and on the serial one, which comes last so it is <c>/dev/console</c>.</summary>
    public const string DefaultCommandLine = "console=tty0 console=ttyS0 panic=-1";

    /// <summary>The root partition of the images Forgeline builds (p1 /boot, p2 root).</summary>
    public const string DefaultRootDevice = "/dev/vda2";

    /// <summary>The disk's own bootloader.</summary>
    public static VmBoot Firmware { get; } = new(VmBootMode.Firmware);

    /// <summary>A direct kernel boot of <paramref name="kernel"/> (preferably the ELF vmlinux) with <paramref name="initrd"/>.</summary>
    public static VmBoot Direct(string kernel, string initrd, string commandLine = DefaultCommandLine, string rootDevice = DefaultRootDevice) =>
        new(VmBootMode.Direct, kernel, initrd, commandLine, rootDevice);

    /// <summary>The kernel command line QEMU passes: <see cref="CommandLine"/> and <c>root=</c>.</summary>
    public string KernelArguments => string.IsNullOrWhiteSpace(RootDevice) ? CommandLine : $"{CommandLine} root={RootDevice}";
}
