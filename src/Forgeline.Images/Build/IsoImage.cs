namespace Forgeline.Images.Build;

/// <summary>
/// A BIOS-bootable live ISO (isolinux El Torito, isohybrid MBR) made with <c>xorriso -as mkisofs</c>: the kernel and the
/// whole root as its initramfs, so the system runs from RAM.
/// </summary>
public sealed class IsoImage(SandboxTool tools)
{
    /// <summary>Where Debian's isolinux keeps its files.</summary>
    public static string IsolinuxDirectory { get; set; } = "/usr/lib/ISOLINUX";

    /// <summary>Where Debian's syslinux keeps ldlinux.c32 for BIOS.</summary>
    public static string SyslinuxModules { get; set; } = "/usr/lib/syslinux/modules/bios";

    /// <summary>Writes the ISO of <paramref name="kernel"/> and <paramref name="initrd"/> to <paramref name="isoPath"/>.</summary>
    public async Task WriteAsync(string volumeName, KernelFiles kernel, string initrd, string cmdline, string isoPath, string workDirectory, CancellationToken cancellationToken)
    {
        var needed = new[] { Path.Combine(IsolinuxDirectory, "isolinux.bin"), Path.Combine(IsolinuxDirectory, "isohdpfx.bin"), Path.Combine(SyslinuxModules, "ldlinux.c32") };
        if (needed.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            throw new ImageBuildException($"{missing} is missing: install the Debian packages isolinux and syslinux-common (scripts/install-deps does)");
        }

        var tree = Path.Combine(workDirectory, "iso");
        var isolinux = Path.Combine(tree, "isolinux");
        Directory.CreateDirectory(isolinux);
        File.Copy(needed[0], Path.Combine(isolinux, "isolinux.bin"));
        File.Copy(needed[2], Path.Combine(isolinux, "ldlinux.c32"));
        File.Copy(kernel.Vmlinuz, Path.Combine(tree, "vmlinuz"));
        File.Move(initrd, Path.Combine(tree, "initrd"));
        await File.WriteAllTextAsync(Path.Combine(isolinux, "isolinux.cfg"), DiskImage.BootConfig("/vmlinuz", "/initrd", cmdline + " panic=-1"), cancellationToken);
        await tools.RunAsync("xorriso",
            ["-as", "mkisofs", "-quiet", "-o", isoPath, "-R", "-J", "-V", VolumeId(volumeName), "-isohybrid-mbr", needed[1],
             "-c", "isolinux/boot.cat", "-b", "isolinux/isolinux.bin", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table", tree],
            [workDirectory, Path.GetDirectoryName(isoPath)!], workDirectory, cancellationToken);
        Directory.Delete(tree, recursive: true);
    }

    /// <summary>An ISO 9660 volume id from an image name: upper case letters, digits and '_', at most 32.</summary>
    public static string VolumeId(string name)
    {
        var id = new string([.. name.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        return id.Length == 0 ? "FORGELINE" : id[..Math.Min(32, id.Length)];
    }
}
