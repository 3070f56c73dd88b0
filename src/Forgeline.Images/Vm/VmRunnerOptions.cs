namespace Forgeline.Images.Vm;

/// <summary>The tools a <see cref="VmJobRunner"/> uses and its limits.</summary>
public sealed record VmRunnerOptions
{
    /// <summary>The QEMU system emulator.</summary>
    public string QemuPath { get; init; } = "qemu-system-x86_64";

    /// <summary>qemu-img, for overlays and published disks.</summary>
    public string QemuImgPath { get; init; } = "qemu-img";

    /// <summary>bubblewrap, which runs QEMU with no network, no capabilities and only the job directory writable; null runs QEMU unsandboxed.</summary>
    public string? BwrapPath { get; init; } = "bwrap";

    /// <summary>
    /// KVM or TCG. <see cref="VmAccelerator.Auto"/> trusts an openable <c>/dev/kvm</c>; inside a VM without working
    /// nested virtualisation (/dev/kvm opens but guests never run) set <see cref="VmAccelerator.Tcg"/>.
    /// </summary>
    public VmAccelerator Accelerator { get; init; } = VmAccelerator.Auto;

    /// <summary>The largest JUnit file fetched from a guest (it comes base64 over the serial console).</summary>
    public int MaxJunitBytes { get; init; } = 1024 * 1024;

    /// <summary>How long a guest may take to power off before its disk is published.</summary>
    public TimeSpan PowerOffTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
