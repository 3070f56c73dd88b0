using Forgeline.Images.Vm;

namespace Forgeline.Images.Tests.Vm;

/// <summary>
/// The tiny bootable image the VM tests boot: a qcow2 disk (p1 /boot, p2 root with busybox, rpm and fl-hello; its
/// init prints <c>FL-READY</c> and gives a root shell on the serial console), the kernel as an ELF vmlinux (PVH boot)
/// and a stage-1 initramfs that mounts <c>/dev/vda2</c>. For now the prototype's build of it (issue 17); the one place
/// to switch to the Forgeline.Testing image fixture once it lands.
/// </summary>
public sealed class VmTestImage
{
    private const string Directory = "/work/proto17/work/img3";

    /// <summary>The image's disk (read-only to the tests).</summary>
    public string Disk { get; } = Path.Combine(Directory, "disk.qcow2");

    /// <summary>The kernel, an ELF vmlinux.</summary>
    public string Kernel { get; } = Path.Combine(Directory, "vmlinux");

    /// <summary>The stage-1 initramfs (virtio and ext4 modules, switch_root to the disk).</summary>
    public string Initrd { get; } = Path.Combine(Directory, "stage1.cpio");

    /// <summary>What the guest prints when its shell is ready.</summary>
    public string Ready => "FL-READY";

    /// <summary>Direct PVH boot of the image's kernel with the root on the job's disk.</summary>
    public VmBoot Boot => VmBoot.Direct(Kernel, Initrd);

    /// <summary>Fails, naming what is missing, unless the image's files exist.</summary>
    public void Require()
    {
        foreach (var file in new[] { Disk, Kernel, Initrd })
        {
            if (!File.Exists(file))
            {
                throw new InvalidOperationException(
                    $"the VM test image is missing {file}; build it with /work/proto17/build-image.sh (see /work/proto17/README.md) or point VmTestImage at the Forgeline.Testing image fixture");
            }
        }
    }
}
