using System.Text.RegularExpressions;

namespace Forgeline.Testing;

/// <summary>
/// Host programs copied into a directory laid out as a merged-/usr root, for tests that need a small real root: the
/// files of some Debian packages installed on the host and the full <c>ldd</c> closure of every ELF file among them,
/// each at its canonical path (<c>/bin/sh</c> becomes <c>/usr/bin/sh</c>), plus the top-level compatibility symlinks
/// and the mount points a sandbox needs. What the root is for (passwd, rpm macros…) is up to the caller.
/// </summary>
public static partial class HostTree
{
    /// <summary>What is never copied: documentation, translations, character set converters.</summary>
    public static IReadOnlyList<string> DefaultSkipped { get; } = ["/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/", "/usr/share/lintian/", "/gconv/", "/i18n/"];

    private static readonly string[] Directories = ["usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "etc", "var/tmp", "proc", "dev", "tmp"];
    private static readonly string[] TopLinks = ["bin", "sbin", "lib", "lib64"];

    /// <summary>
    /// Fills <paramref name="destination"/> (created, must be empty) with the files of <paramref name="debianPackages"/>
    /// and what they link to; a path containing any of <paramref name="skipped"/> (default <see cref="DefaultSkipped"/>)
    /// is left out. Returns how many files it copied.
    /// </summary>
    public static async Task<int> CopyAsync(string destination, IReadOnlyList<string> debianPackages, IReadOnlyList<string>? skipped = null)
    {
        skipped ??= DefaultSkipped;
        Directory.CreateDirectory(destination);
        var listed = (await ProcessRunner.RunCheckedAsync("dpkg", ["-L", .. debianPackages]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.StartsWith('/') && !skipped.Any(s => p.Contains(s, StringComparison.Ordinal)))
            .Where(IsFileOrLink)
            .ToList();

        var elfs = listed.Where(p => !IsLink(p) && IsElf(p)).ToList();
        var wanted = new HashSet<string>(listed, StringComparer.Ordinal);
        wanted.UnionWith(await LddClosureAsync(elfs));
        foreach (var link in wanted.Where(IsLink).ToList())
        {
            // A link is only useful with what it points at (libfoo.so.1 -> libfoo.so.1.2.3, /usr/bin/sh -> dash).
            if (new FileInfo(link).ResolveLinkTarget(returnFinalTarget: true) is { Exists: true } target)
            {
                wanted.Add(target.FullName);
            }
        }

        var copied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in wanted.Order(StringComparer.Ordinal))
        {
            var canonical = Path.Combine(RealDirectory(Path.GetDirectoryName(path)!), Path.GetFileName(path));
            if (!copied.Add(canonical))
            {
                continue;
            }

            var target = destination + canonical;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var info = new FileInfo(path);
            if (info.LinkTarget is { } linkTarget)
            {
                File.CreateSymbolicLink(target, linkTarget);
            }
            else
            {
                File.Copy(path, target);
            }
        }

        // bwrap cannot make mount points in a root bound read-only: /proc, /dev, /tmp and /var/tmp must exist, as a
        // real distribution's "filesystem" package makes them.
        foreach (var dir in Directories)
        {
            Directory.CreateDirectory(Path.Combine(destination, dir));
        }

        foreach (var top in TopLinks)
        {
            File.CreateSymbolicLink(Path.Combine(destination, top), $"usr/{top}");
        }

        return copied.Count;
    }

    private static async Task<HashSet<string>> LddClosureAsync(IReadOnlyList<string> elfs)
    {
        // ldd prints the whole transitive closure of each file; one run for all of them. Files that are not dynamic make
        // it exit 1, which is expected here.
        var (_, stdout, _) = await ProcessRunner.RunAsync("ldd", elfs);
        var libraries = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in LddPath().Matches(stdout))
        {
            libraries.Add(match.Groups["path"].Value);
        }

        return libraries;
    }

    [GeneratedRegex(@"^\s+(?:\S+ => )?(?<path>/\S+) \(0x", RegexOptions.Multiline)]
    private static partial Regex LddPath();

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    // dpkg lists directories too, and on a merged-/usr host /bin, /lib and /lib64 are such directories seen through a
    // symlink: the tree makes its own top-level links, so only files and links to files are taken.
    private static bool IsFileOrLink(string path) => File.Exists(path) && !Directory.Exists(path);

    private static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    /// <summary><paramref name="directory"/> with every symlink resolved, as realpath(3) would (on merged /usr, /lib/x is /usr/lib/x).</summary>
    private static string RealDirectory(string directory)
    {
        var real = "/";
        foreach (var part in directory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(real, part);
            real = new DirectoryInfo(next).LinkTarget is { } target ? RealDirectory(Path.GetFullPath(target, real)) : next;
        }

        return real;
    }
}
