using Forgeline.Core;
using Forgeline.Core.Workers;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Dependencies;

/// <summary>
/// The RPMs a job builds against, unpacked under its work directory and shown to rpmbuild at their real paths: the
/// unpacked <c>usr</c> and <c>etc</c> laid over the host's with overlayfs, <c>opt</c> bound read-only. Nothing is
/// installed on the host and no scriptlet of theirs ever runs: payloads are unpacked with <c>rpm2cpio | cpio</c>
/// inside the sandbox, where the root is the only writable place.
/// </summary>
/// <remarks>
/// Layout, under <c>&lt;work&gt;/deps</c>: <c>rpms/</c> the downloads, <c>root/</c> the unpacked tree, <c>merged/usr</c> and
/// <c>merged/etc</c> empty mount points for the overlays. The build sees the whole area read-only at <see cref="SandboxPath"/>.
/// </remarks>
/// <param name="workDirectory">The job's work directory (the sandbox's <c>/build</c>).</param>
public sealed class BuildDependencyRoot(string workDirectory)
{
    /// <summary>Where rpmbuild sees the dependency area, read-only.</summary>
    public const string SandboxPath = "/build/deps";

    /// <summary>Where unpacking sees the downloaded RPMs, read-only.</summary>
    public const string RpmSandboxPath = "/rpms";

    // Laid over the host's directory of the same name.
    private static readonly string[] Overlaid = ["usr", "etc"];

    // The sandbox has nothing there: bound read-only as they are.
    private static readonly string[] Bound = ["opt"];

    // On a merged-/usr host, /bin is usr/bin and so on: an RPM's /bin/foo lands in usr/bin/foo, as the build will look for it.
    private static readonly string[] MergedUsrLinks = ["bin", "sbin", "lib", "lib64"];

    // Runs in the sandbox with the root as /build, the RPM read-only under /rpms. rpm2cpio's failure is noted apart:
    // a plain pipeline only reports cpio's status. cpio strips leading / and ../; chmod lets the worker delete the tree
    // and drops set-id bits (the overlay is nosuid besides).
    private const string UnpackScript = """
        { rpm2cpio "/rpms/$1" || : > /tmp/rpm2cpio-failed; } | cpio -idmu --quiet --no-absolute-filenames --no-preserve-owner
        status=$?
        if [ -e /tmp/rpm2cpio-failed ]; then echo "rpm2cpio could not read the payload of $1"; exit 1; fi
        if [ "$status" -ne 0 ]; then echo "cpio could not unpack the payload of $1"; exit "$status"; fi
        exec chmod -R u+rwX,go-w,ug-s /build
        """;

    private readonly List<SandboxOverlay> overlays = [];
    private readonly List<SandboxBind> binds = [];
    private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);

    /// <summary>The dependency area on the host, <c>&lt;work&gt;/deps</c>.</summary>
    public string Directory { get; } = Path.Combine(workDirectory, "deps");

    /// <summary>Where the RPMs are downloaded.</summary>
    public string RpmDirectory => Path.Combine(Directory, "rpms");

    /// <summary>Where their payloads are unpacked, as if it were <c>/</c>.</summary>
    public string Root => Path.Combine(Directory, "root");

    /// <summary>The mount that gives unpacking the downloaded RPMs.</summary>
    public SandboxBind RpmBind => new(RpmDirectory, RpmSandboxPath, ReadOnly: true);

    /// <summary>What is wrong with the dependencies a lease names (file names, digests, duplicates); null when nothing.</summary>
    public static string? FindProblem(IReadOnlyList<JobDependency> dependencies)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dependency in dependencies)
        {
            var name = dependency.FileName ?? "";
            var reason =
                name.Length is 0 or > 255 || name.StartsWith('.') || name.Contains('/') || name.Any(char.IsControl) ? "is not a plain file name"
                : !name.EndsWith(".rpm", StringComparison.Ordinal) ? "does not end in .rpm"
                : name.EndsWith(".src.rpm", StringComparison.Ordinal) ? "is a source RPM; a build can only depend on binary RPMs"
                : !Sha256Hex.IsValid(dependency.Sha256) ? $"has no valid sha256 ('{dependency.Sha256}')"
                : !seen.Add(name) ? "is named twice"
                : null;
            if (reason is not null)
            {
                return $"the server sent a bad build dependency: '{name}' {reason}; the build cannot run until the server's dependency list is fixed";
            }
        }

        return null;
    }

    /// <summary>The command that unpacks the downloaded <paramref name="fileName"/> into the root (run with the root as the sandbox's work directory).</summary>
    public static IReadOnlyList<string> UnpackCommand(string fileName) => ["/bin/sh", "-c", UnpackScript, "unpack", fileName];

    /// <summary>
    /// Makes the empty area: download directory, root (with the host's merged-/usr links) and mount points. Throws
    /// <see cref="JobErrorException"/> when the work directory's path cannot be given to overlayfs.
    /// </summary>
    public void Create()
    {
        if (Directory.IndexOfAny([',', ':', '\\', '\n']) >= 0)
        {
            throw new JobErrorException($"this worker's work directory ({workDirectory}) contains ',', ':' or '\\', which overlayfs cannot take, so it cannot install build dependencies; start the worker with a --work-dir without them");
        }

        foreach (var path in new[] { RpmDirectory, Root }.Concat(Overlaid.Select(MountPoint)))
        {
            System.IO.Directory.CreateDirectory(path);
        }

        foreach (var name in MergedUsrLinks)
        {
            if (new DirectoryInfo("/" + name).LinkTarget == $"usr/{name}")
            {
                File.CreateSymbolicLink(Path.Combine(Root, name), $"usr/{name}");
            }
        }
    }

    /// <summary>
    /// After unpacking: decides what the build sees and returns the top-level directories of the root it does not
    /// see (only <c>/usr</c>, <c>/etc</c> and <c>/opt</c> are shown). Throws <see cref="JobFailedException"/> when
    /// the dependencies replace one of those with a symlink or a file.
    /// </summary>
    public IReadOnlyList<string> Expose()
    {
        var leftOut = new List<string>();
        foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var name = entry.Name;
            if (MergedUsrLinks.Contains(name) && entry.LinkTarget == $"usr/{name}")
            {
                continue;
            }

            var shown = Overlaid.Contains(name) || Bound.Contains(name);
            // Mount sources are resolved on the host: a symlink here could show the build any host directory.
            if (shown && (entry.LinkTarget is not null || entry is not DirectoryInfo))
            {
                throw new JobFailedException($"the build dependencies make /{name} a {(entry.LinkTarget is { } target ? $"symlink to {target}" : "file")}, not a directory; fix the package that ships it");
            }

            if (Overlaid.Contains(name))
            {
                overlays.Add(new SandboxOverlay(entry.FullName, "/" + name, MountPoint(name)));
            }
            else if (Bound.Contains(name))
            {
                binds.Add(new SandboxBind(entry.FullName, "/" + name, ReadOnly: true));
            }
            else
            {
                leftOut.Add("/" + name);
            }
        }

        // The host's toolchain (Debian's gcc, ld.so, pkg-config) does not search the RPM layout's %{_libdir}.
        if (IsRealDirectory(Path.Combine(Root, "usr", "lib64")))
        {
            environment["LIBRARY_PATH"] = "/usr/lib64";
            environment["LD_LIBRARY_PATH"] = "/usr/lib64";
            if (IsRealDirectory(Path.Combine(Root, "usr", "lib64", "pkgconfig")))
            {
                environment["PKG_CONFIG_PATH"] = "/usr/lib64/pkgconfig";
            }
        }

        return leftOut;
    }

    /// <summary><paramref name="request"/> with the dependencies shown, as <see cref="Expose"/> decided.</summary>
    public SandboxRequest Apply(SandboxRequest request)
    {
        var variables = new Dictionary<string, string>(request.Environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return request with
        {
            Overlays = [.. request.Overlays ?? [], .. overlays],
            Binds = [.. request.Binds ?? [], new SandboxBind(Directory, SandboxPath, ReadOnly: true), .. binds],
            Environment = variables,
        };
    }

    private string MountPoint(string name) => Path.Combine(Directory, "merged", name);

    private static bool IsRealDirectory(string path) => new DirectoryInfo(path) is { Exists: true, LinkTarget: null };
}
