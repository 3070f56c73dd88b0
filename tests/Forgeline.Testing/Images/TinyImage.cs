using System.Diagnostics;
using Forgeline.Images.Build;
using Forgeline.Images.Definitions;

namespace Forgeline.Testing.Images;

/// <summary>
/// A ready tiny bootable image for VM tests, built once per test process: a root installed with dnf from
/// <see cref="TinyDistribution"/> (<see cref="TinyDistribution.ImagePackages"/>: fl-base, fl-kernel, fl-rpm, fl-hello 1.0)
/// and packed by the real <see cref="ImagePacker"/> into qcow2 (with the direct-boot vmlinux + initrd) and iso.
/// <para>What the guest offers:</para>
/// <list type="bullet">
/// <item>Boot directly (fast, PVH, ~3–4 s under TCG): <c>-kernel VMLINUX -initrd INITRD -append "console=tty0 console=ttyS0 root=/dev/vda2"</c>
/// with the qcow2 (an overlay of it) as the first virtio disk (<c>-drive file=…,if=virtio</c>); or through its
/// bootloader (SeaBIOS → syslinux on partition 1, ~7 s): just the qcow2; or the ISO (<c>-cdrom</c>, root in RAM).
/// The serial console is ttyS0 at 115200; add <c>-nic none</c>, <c>-no-reboot</c>.</item>
/// <item>The init prints <c>FL-READY forgeline-test 1</c> on the console when up, then runs a root shell on it with
/// the prompt <c>fl# </c> (a login shell: /etc/profile sets PS1). Another shell starts when it exits.</item>
/// <item>Userland is Debian's static busybox (applets prefer themselves over PATH: call <c>/usr/bin/rpm</c> by full
/// path, since busybox has an rpm applet). <c>/usr/bin/rpm</c> is Debian's rpm 4.18 reading the rpmdb at
/// /var/lib/rpm that dnf wrote: <c>/usr/bin/rpm -q fl-hello</c> prints <c>fl-hello-1.0-1.noarch</c>, and
/// <c>/usr/bin/rpm -Uvh …/fl-hello-1.1-1.noarch.rpm</c> (from <see cref="TinyDistribution.UpdatesRepositoryPath"/>,
/// e.g. on a second disk) upgrades it. <c>fl-hello</c> prints <c>fl-hello 1.0</c>.</item>
/// <item>An executable <c>/etc/fl-autorun</c>, if present, runs before FL-READY. <c>poweroff -f</c> ends the VM.</item>
/// <item>Kernel modules for virtio (pci, blk, scsi, console), ext4, isofs, sr_mod and bochs (VGA console under PVH)
/// are in /lib/modules; the stage-1 initrd loads the disk ones.</item>
/// </list>
/// </summary>
public sealed class TinyImage
{
    private static readonly Lazy<Task<TinyImage>> Shared = new(CreateAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private TinyImage(TinyDistribution distribution, IReadOnlyList<ImageFile> files, IReadOnlyList<string> log, TimeSpan buildTime)
    {
        Distribution = distribution;
        Files = files;
        Log = log;
        BuildTime = buildTime;
    }

    /// <summary>The distribution it was installed from (its newer publication has fl-hello 1.1).</summary>
    public TinyDistribution Distribution { get; }

    /// <summary>What the packer made: qcow2, iso, vmlinux, initrd.</summary>
    public IReadOnlyList<ImageFile> Files { get; }

    /// <summary>The packer's log.</summary>
    public IReadOnlyList<string> Log { get; }

    /// <summary>How long installing and packing took.</summary>
    public TimeSpan BuildTime { get; }

    /// <summary>The qcow2 disk (never boot it directly: make an overlay, <c>qemu-img create -f qcow2 -b … -F qcow2</c>).</summary>
    public string Qcow2 => File("qcow2");

    /// <summary>The ELF kernel for <c>-kernel</c>.</summary>
    public string Vmlinux => File("vmlinux");

    /// <summary>The stage-1 initramfs for <c>-initrd</c> (mounts <c>root=</c>).</summary>
    public string Initrd => File("initrd");

    /// <summary>The live ISO.</summary>
    public string Iso => File("iso");

    /// <summary>Where the fixture keeps extracted vmlinux files between test runs (by the sha256 of the vmlinuz).</summary>
    public static string KernelCache => Path.Combine(DebianPackageCache.Root, "vmlinux-cache");

    /// <summary>The image, built on the first call in this test process under the distribution's directory.</summary>
    public static Task<TinyImage> BuildAsync() => Shared.Value;

    /// <summary>The image definition the tiny image is packed with (formats and disk size for a tiny image).</summary>
    public static ImageDefinition Definition(params string[] formats) => new()
    {
        Name = "tiny",
        Packages = [.. TinyDistribution.ImagePackages],
        Formats = formats.Length == 0 ? ["qcow2", "iso"] : [.. formats],
        DiskSizeMb = 128,
    };

    private string File(string kind) => Files.Single(f => f.Kind == kind).Path;

    private static async Task<TinyImage> CreateAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var distribution = await TinyDistribution.GetAsync();
        var directory = Path.Combine(distribution.Work, "tiny-image");
        var root = Path.Combine(directory, "root");
        var work = Path.Combine(directory, "work");
        await distribution.InstallAsync(root, work, TinyDistribution.ImagePackages);
        var log = new List<string>();
        // The vmlinux extraction (seconds under load) is kept per machine; ImagePackerTests extracts without the cache.
        var packer = new ImagePacker(kernelCache: KernelCache);
        var files = await packer.PackAsync(Definition(), root, Path.Combine(directory, "out"), work, line =>
        {
            lock (log)
            {
                log.Add(line);
            }

            return Task.CompletedTask;
        }, CancellationToken.None);
        Directory.Delete(root, recursive: true);
        return new TinyImage(distribution, files, log, Stopwatch.GetElapsedTime(started));
    }
}
