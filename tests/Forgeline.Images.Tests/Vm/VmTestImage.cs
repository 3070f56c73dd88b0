using Forgeline.Images.Vm;
using Forgeline.Testing.Images;

namespace Forgeline.Images.Tests.Vm;

/// <summary>
/// The tiny bootable image the VM tests boot (<see cref="TinyImage"/>, built once per test process from the tiny
/// distribution by the real packer): a qcow2 disk (p1 /boot with syslinux, p2 root with busybox, rpm and fl-hello; its
/// init prints <c>FL-READY</c> and gives a root shell on the serial console), the kernel as an ELF vmlinux (PVH boot)
/// and a stage-1 initramfs that mounts <c>/dev/vda2</c>.
/// </summary>
public sealed class VmTestImage
{
    private VmTestImage(TinyImage image) => Image = image;

    /// <summary>The fixture behind it.</summary>
    public TinyImage Image { get; }

    /// <summary>The image's disk (read-only to the tests).</summary>
    public string Disk => Image.Qcow2;

    /// <summary>The kernel, an ELF vmlinux.</summary>
    public string Kernel => Image.Vmlinux;

    /// <summary>The stage-1 initramfs (virtio and ext4 modules, switch_root to the disk).</summary>
    public string Initrd => Image.Initrd;

    /// <summary>What the guest prints when its shell is ready.</summary>
    public string Ready => "FL-READY";

    /// <summary>Direct PVH boot of the image's kernel with the root on the job's disk.</summary>
    public VmBoot Boot => VmBoot.Direct(Kernel, Initrd);

    /// <summary>The image, built on first use in this test process.</summary>
    public static async Task<VmTestImage> GetAsync() => new(await TinyImage.BuildAsync());
}
