namespace Forgeline.Images.Build;

/// <summary>
/// The kernel an installed root holds: <c>/boot/vmlinuz-VERSION</c> and its modules under <c>/lib/modules/VERSION</c>
/// (or <c>/usr/lib/modules</c>), and the ELF <c>vmlinux</c> inside the compressed bzImage, which QEMU boots through
/// the PVH entry without the slow in-guest decompression.
/// </summary>
public sealed class KernelFiles
{
    private static readonly (byte[] Magic, string Tool)[] Compressions =
    [
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz"),
        ([0x28, 0xB5, 0x2F, 0xFD], "zstd"),
        ([0x1F, 0x8B, 0x08], "gzip"),
    ];

    private KernelFiles(string vmlinuz, string version, string? modules)
    {
        Vmlinuz = vmlinuz;
        Version = version;
        ModulesDirectory = modules;
    }

    /// <summary>The compressed kernel (bzImage) on the host.</summary>
    public string Vmlinuz { get; }

    /// <summary>The kernel release, e.g. <c>6.1.0-57-amd64</c>.</summary>
    public string Version { get; }

    /// <summary>The host path of its modules directory, or null when the root has none (a kernel with everything built in).</summary>
    public string? ModulesDirectory { get; }

    /// <summary>The kernel of <paramref name="root"/>; throws when it has none, or more than one.</summary>
    public static KernelFiles Find(string root)
    {
        var boot = RootPath.Resolve(root, "/boot");
        var kernels = Directory.Exists(boot)
            ? Directory.GetFiles(boot, "vmlinuz-*").Where(f => !f.Contains("rescue", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
        if (kernels.Count == 0)
        {
            throw new ImageBuildException("the root has no kernel: /boot/vmlinuz-* not found (add the kernel package to the image's packages, or set kernel.package)");
        }

        // Several kernels: the newest by version order, as a bootloader's default would be.
        var vmlinuz = kernels.OrderBy(k => Path.GetFileName(k), KernelVersionComparer.Instance).Last();
        var version = Path.GetFileName(vmlinuz)["vmlinuz-".Length..];
        var modules = new[] { "/lib/modules/" + version, "/usr/lib/modules/" + version }
            .Select(p => RootPath.Resolve(root, p)).FirstOrDefault(Directory.Exists);
        return new KernelFiles(vmlinuz, version, modules);
    }

    /// <summary>Writes the ELF vmlinux inside <see cref="Vmlinuz"/> to <paramref name="destination"/>.</summary>
    public async Task ExtractVmlinuxAsync(SandboxTool tools, string destination, string workDirectory, CancellationToken cancellationToken)
    {
        var image = await File.ReadAllBytesAsync(Vmlinuz, cancellationToken);
        if (IsElf(image))
        {
            File.Copy(Vmlinuz, destination, overwrite: true);
            return;
        }

        // The first stream whose decompression is an ELF file is the kernel (a bzImage may hold other magic-looking bytes).
        var candidates = Compressions
            .SelectMany(c => Offsets(image, c.Magic).Take(4).Select(offset => (offset, c.Tool)))
            .OrderBy(c => c.offset).ToList();
        var compressed = Path.Combine(workDirectory, "vmlinuz.payload");
        foreach (var (offset, tool) in candidates)
        {
            await File.WriteAllBytesAsync(compressed, image.AsMemory(offset), cancellationToken);
            // Data after the compressed stream makes the decompressor complain and exit non-zero; the ELF check decides.
            await tools.RunAsync(tool, ["-dc", compressed], [workDirectory, Path.GetDirectoryName(destination)!], workDirectory, cancellationToken,
                stdoutPath: destination, allowFailure: true);
            if (IsElf(destination))
            {
                File.Delete(compressed);
                return;
            }
        }

        File.Delete(compressed);
        File.Delete(destination);
        throw new ImageBuildException($"no ELF kernel found inside {Path.GetFileName(Vmlinuz)}: it is neither ELF nor an xz-, zstd- or gzip-compressed bzImage");
    }

    private static bool IsElf(byte[] bytes) => bytes.Length > 4 && bytes[0] == 0x7F && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F';

    private static bool IsElf(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var file = File.OpenRead(path);
        var head = new byte[5];
        return file.Read(head) == 5 && IsElf(head);
    }

    private static IEnumerable<int> Offsets(byte[] data, byte[] magic)
    {
        var span = data.AsMemory();
        var start = 0;
        while (start < data.Length)
        {
            var index = span.Span[start..].IndexOf(magic);
            if (index < 0)
            {
                yield break;
            }

            yield return start + index;
            start += index + 1;
        }
    }

    private sealed class KernelVersionComparer : IComparer<string>
    {
        public static readonly KernelVersionComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = Parts(x ?? "");
            var b = Parts(y ?? "");
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var both = long.TryParse(a[i], out var na) & long.TryParse(b[i], out var nb);
                var result = both ? na.CompareTo(nb) : string.CompareOrdinal(a[i], b[i]);
                if (result != 0)
                {
                    return result;
                }
            }

            return a.Length.CompareTo(b.Length);
        }

        private static readonly char[] Separators = ['.', '-', '_'];

        private static string[] Parts(string value) => value.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
    }
}
