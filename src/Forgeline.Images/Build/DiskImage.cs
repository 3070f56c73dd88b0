using System.Globalization;

namespace Forgeline.Images.Build;

/// <summary>
/// A BIOS-bootable MBR disk made from files only (no root, loop device or mount): partition 1 is FAT with syslinux,
/// the kernel and the stage-1 initramfs; partition 2 is ext4 filled from the root with <c>mkfs.ext4 -d</c> (files owned
/// by root). sfdisk writes the table into the disk file, dd puts syslinux's MBR code and both partitions in, and
/// <c>qemu-img convert</c> makes the qcow2.
/// </summary>
public sealed class DiskImage(SandboxTool tools)
{
    /// <summary>The root partition's device as the stage-1 initramfs sees it (a virtio disk, the image's first).</summary>
    public const string RootDevice = "/dev/vda2";

    private const int GapMb = 1;

    /// <summary>Where Debian's syslinux keeps its MBR boot code.</summary>
    public static string MbrCode { get; set; } = "/usr/lib/syslinux/mbr/mbr.bin";

    /// <summary>
    /// Writes <paramref name="rawPath"/> (a sparse raw disk of <paramref name="sizeMb"/> MiB) from <paramref name="root"/>,
    /// booting <paramref name="kernel"/> with <paramref name="initrd"/> and <paramref name="cmdline"/>.
    /// </summary>
    public async Task WriteRawAsync(string root, KernelFiles kernel, string initrd, string cmdline, int sizeMb, string rawPath, string workDirectory, CancellationToken cancellationToken)
    {
        var kernelBytes = new FileInfo(kernel.Vmlinuz).Length + new FileInfo(initrd).Length;
        var bootMb = (int)Math.Max(32, (kernelBytes * 5 / 4 / (1024 * 1024)) + 8);
        var rootMb = sizeMb - GapMb - bootMb;
        if (rootMb < 16)
        {
            throw new ImageBuildException($"disk_size_mb {sizeMb} is too small: the boot partition alone needs {GapMb + bootMb} MiB and the root at least 16 MiB more");
        }

        if (!File.Exists(MbrCode))
        {
            throw new ImageBuildException($"syslinux's MBR boot code {MbrCode} is missing: install the Debian package syslinux-common (scripts/install-deps does)");
        }

        var output = Path.GetDirectoryName(rawPath)!;
        string[] writable = [workDirectory, output];
        var rootImage = Path.Combine(workDirectory, "root.ext4");
        var bootImage = Path.Combine(workDirectory, "boot.fat");
        try
        {
            try
            {
                await tools.RunAsync("mkfs.ext4", ["-q", "-F", "-L", "flroot", "-E", "root_owner=0:0", "-d", root, rootImage, rootMb.ToString(CultureInfo.InvariantCulture) + "M"], writable, workDirectory, cancellationToken);
            }
            catch (ImageBuildException e) when (e.Message.Contains("exit status", StringComparison.Ordinal))
            {
                throw new ImageBuildException(e.Message + $" (does the root fit in {rootMb} MiB? raise disk_size_mb)", e);
            }

            await tools.RunAsync("mkfs.vfat", ["-C", "-n", "FLBOOT", bootImage, (bootMb * 1024).ToString(CultureInfo.InvariantCulture)], writable, workDirectory, cancellationToken);
            var stage = Path.Combine(workDirectory, "boot-files");
            Directory.CreateDirectory(stage);
            File.Copy(kernel.Vmlinuz, Path.Combine(stage, "vmlinuz"), overwrite: true);
            File.Copy(initrd, Path.Combine(stage, "initrd"), overwrite: true);
            await File.WriteAllTextAsync(Path.Combine(stage, "syslinux.cfg"), BootConfig("/vmlinuz", "/initrd", $"{cmdline} root={RootDevice} rootfstype=ext4 panic=-1"), cancellationToken);
            var mtools = new Dictionary<string, string>(StringComparer.Ordinal) { ["MTOOLS_SKIP_CHECK"] = "1" };
            await tools.RunAsync("mcopy", ["-i", bootImage, Path.Combine(stage, "vmlinuz"), Path.Combine(stage, "initrd"), Path.Combine(stage, "syslinux.cfg"), "::/"],
                writable, workDirectory, cancellationToken, environment: mtools);
            await tools.RunAsync("syslinux", ["--install", bootImage], writable, workDirectory, cancellationToken, environment: mtools);
            Directory.Delete(stage, recursive: true);

            await using (var disk = new FileStream(rawPath, FileMode.Create, FileAccess.Write))
            {
                disk.SetLength((long)sizeMb * 1024 * 1024);
            }

            var layout = $"label: dos\nstart={GapMb * 2048}, size={bootMb * 2048}, type=6, bootable\nstart={(GapMb + bootMb) * 2048}, type=83\n";
            await tools.RunAsync("sfdisk", ["-q", "--no-reread", "--no-tell-kernel", rawPath], writable, workDirectory, cancellationToken, stdin: layout);
            await Dd(MbrCode, rawPath, "bs=440", "count=1", writable, workDirectory, cancellationToken);
            await Dd(bootImage, rawPath, "bs=1M", $"seek={GapMb}", writable, workDirectory, cancellationToken);
            await Dd(rootImage, rawPath, "bs=1M", $"seek={GapMb + bootMb}", writable, workDirectory, cancellationToken);
        }
        finally
        {
            File.Delete(rootImage);
            File.Delete(bootImage);
        }
    }

    /// <summary>Converts the raw disk to qcow2.</summary>
    public Task ConvertAsync(string rawPath, string qcow2Path, string workDirectory, CancellationToken cancellationToken) =>
        tools.RunAsync("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", rawPath, qcow2Path], [workDirectory, Path.GetDirectoryName(qcow2Path)!], workDirectory, cancellationToken);

    /// <summary>A syslinux/isolinux configuration: serial console, no menu, one entry.</summary>
    public static string BootConfig(string kernel, string initrd, string append) =>
        $"SERIAL 0 115200\nDEFAULT forgeline\nTIMEOUT 0\nPROMPT 0\nLABEL forgeline\n  KERNEL {kernel}\n  INITRD {initrd}\n  APPEND {append}\n";

    // conv=sparse keeps the disk file sparse where the partition images are (the ext4 image is mostly holes).
    private Task Dd(string input, string output, string blockSize, string position, IReadOnlyList<string> writable, string workDirectory, CancellationToken cancellationToken) =>
        tools.RunAsync("dd", [$"if={input}", $"of={output}", blockSize, position, "conv=notrunc,sparse", "status=none"], writable, workDirectory, cancellationToken);
}
