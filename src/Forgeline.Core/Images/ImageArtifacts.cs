using System.Xml;

namespace Forgeline.Core.Images;

/// <summary>
/// The artifacts image jobs upload, by kind, and the checks the server makes before it stores one: an image file is one
/// of the formats an image build writes, a screenshot is a PNG, JUnit results are well-formed XML.
/// </summary>
public static class ImageArtifacts
{
    /// <summary>A built image file: <c>NAME.qcow2</c>, <c>NAME.raw</c>, <c>NAME-rootfs.tar.gz</c>, <c>NAME.iso</c>, <c>NAME.vmlinux</c>, <c>NAME.initrd</c>.</summary>
    public const string Image = "image";

    /// <summary>The disk a passed VM job publishes for later jobs (a standalone qcow2).</summary>
    public const string Disk = "disk";

    /// <summary>A PNG of the VM's screen when a job failed.</summary>
    public const string Screenshot = "screenshot";

    /// <summary>JUnit XML results the guest wrote.</summary>
    public const string JUnit = "junit";

    /// <summary>The largest screenshot or JUnit file accepted.</summary>
    public const long MaxSmallBytes = 16L * 1024 * 1024;

    private static readonly string[] ImageSuffixes = [".qcow2", ".raw", "-rootfs.tar.gz", ".iso", ".vmlinux", ".initrd"];
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];
    private static readonly byte[] Qcow2 = [(byte)'Q', (byte)'F', (byte)'I', 0xfb];
    private static readonly byte[] Elf = [0x7f, (byte)'E', (byte)'L', (byte)'F'];
    private static readonly byte[] Gzip = [0x1f, 0x8b];
    private static readonly byte[] NewcCpio = "070701"u8.ToArray();

    /// <summary>The image format an artifact's file name names (<c>qcow2</c>, <c>raw</c>, <c>rootfs</c>, <c>iso</c>, <c>vmlinux</c>, <c>initrd</c>), or null.</summary>
    public static string? FormatOf(string fileName) =>
        ImageSuffixes.FirstOrDefault(s => fileName.EndsWith(s, StringComparison.Ordinal)) is { } suffix ? suffix.TrimStart('.', '-').Split('.')[0] : null;

    /// <summary>What is wrong with an artifact's file name for its kind, or null.</summary>
    public static string? NameProblem(string kind, string name) => kind switch
    {
        Image when FormatOf(name) is null => $"'{name}' is not an image file name: it ends in {string.Join(", ", ImageSuffixes)}",
        Disk when !name.EndsWith(".qcow2", StringComparison.Ordinal) => $"'{name}' must end in .qcow2",
        Screenshot when !name.EndsWith(".png", StringComparison.Ordinal) => $"'{name}' must end in .png",
        JUnit when !name.EndsWith(".xml", StringComparison.Ordinal) => $"'{name}' must end in .xml",
        _ => null,
    };

    /// <summary>What is wrong with an artifact's content for its kind, or null.</summary>
    public static string? ContentProblem(string kind, Stream file)
    {
        var head = new byte[34816];
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, read);
        switch (kind)
        {
            case Disk:
                return bytes.StartsWith(Qcow2) ? null : "a published disk must be a qcow2 image";
            case Image:
                var known = bytes.StartsWith(Qcow2) || bytes.StartsWith(Elf) || bytes.StartsWith(Gzip) || bytes.StartsWith(NewcCpio) ||
                    (read > 32774 && bytes.Slice(32769, 5).SequenceEqual("CD001"u8)) ||
                    (read >= 512 && bytes[510] == 0x55 && bytes[511] == 0xaa);
                return known ? null : "not an image this server knows: expected a qcow2 or MBR disk, an ISO, a tar.gz, an ELF kernel or a cpio initramfs";
            case Screenshot:
                return file.Length > MaxSmallBytes ? "a screenshot may be at most 16 MiB" : bytes.StartsWith(Png) ? null : "a screenshot must be a PNG";
            case JUnit:
                if (file.Length > MaxSmallBytes)
                {
                    return "JUnit results may be at most 16 MiB";
                }

                file.Position = 0;
                try
                {
                    using var reader = XmlReader.Create(file, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
                    while (reader.Read())
                    {
                    }

                    return null;
                }
                catch (XmlException e)
                {
                    return $"JUnit results are not well-formed XML: {e.Message}";
                }

            default:
                return $"unknown image artifact kind '{kind}'";
        }
    }
}
