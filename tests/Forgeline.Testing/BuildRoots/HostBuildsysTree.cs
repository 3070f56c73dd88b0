using System.Text.RegularExpressions;

namespace Forgeline.Testing.BuildRoots;

/// <summary>
/// A working build environment copied from the host into a directory laid out as a merged-/usr root: the files of the
/// Debian packages in <see cref="DebianPackages"/> and the full <c>ldd</c> closure of every ELF file among them, each
/// at its canonical path (<c>/bin/sh</c> becomes <c>/usr/bin/sh</c>), plus the top-level compatibility symlinks and the
/// few files in /etc that rpm and rpmbuild need. <c>test-buildsys</c> packages this tree.
/// </summary>
public static partial class HostBuildsysTree
{
    /// <summary>The host packages whose files make the build environment.</summary>
    public static IReadOnlyList<string> DebianPackages { get; } =
    [
        "bash", "dash", "coreutils", "sed", "grep", "tar", "gzip", "bzip2", "xz-utils", "cpio", "findutils", "diffutils",
        // rpmbuild classifies every packaged file with libmagic; without its database (libmagic-mgc, 8 MB) a noarch text
        // package still builds, but every file would be classified as nothing, unlike in any real root.
        "file", "libmagic1", "libmagic-mgc",
        "rpm", "rpm-common", "librpm9", "librpmbuild9", "librpmio9", "libc6",
    ];

    private static readonly string[] SkippedPrefixes = ["/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/locale/", "/usr/share/lintian/"];
    private static readonly string[] SkippedParts = ["/gconv/", "/i18n/"];

    /// <summary>Fills <paramref name="destination"/> (created, must be empty) with the tree; returns how many files it copied.</summary>
    public static async Task<int> CopyAsync(string destination)
    {
        Directory.CreateDirectory(destination);
        var listed = (await ProcessRunner.RunCheckedAsync("dpkg", ["-L", .. DebianPackages]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.StartsWith('/') && !SkippedPrefixes.Any(s => p.StartsWith(s, StringComparison.Ordinal)) && !SkippedParts.Any(s => p.Contains(s, StringComparison.Ordinal)))
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

        WriteRootFiles(destination);
        return copied.Count;
    }

    private static void WriteRootFiles(string destination)
    {
        // bwrap cannot make mount points in a root bound read-only: /proc, /dev, /tmp, /var/tmp (rpm's %_tmppath) and
        // /build must exist, as a real distribution's "filesystem" package makes them.
        foreach (var dir in new[] { "usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "etc/rpm", "var/lib/rpm", "var/tmp", "proc", "dev", "tmp", "build" })
        {
            Directory.CreateDirectory(Path.Combine(destination, dir));
        }

        foreach (var top in new[] { "bin", "sbin", "lib", "lib64" })
        {
            File.CreateSymbolicLink(Path.Combine(destination, top), $"usr/{top}");
        }

        // Debian's rpm keeps its database in ~/.rpmdb unless told otherwise; a target's rpm uses /var/lib/rpm.
        File.WriteAllText(Path.Combine(destination, "etc/rpm/macros.dbpath"), "%_dbpath /var/lib/rpm\n");
        File.WriteAllText(Path.Combine(destination, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nmockbuild:x:1000:135::/build:/bin/sh\nnobody:x:65534:65534:nobody:/:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Combine(destination, "etc/group"), "root:x:0:\nmock:x:135:mockbuild\nnobody:x:65534:\n");
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
