namespace Forgeline.Worker.Sandbox;

/// <summary>
/// Starts bwrap with overlayfs trees mounted: <see cref="SandboxOverlay"/>s (dependencies laid over the host's
/// <c>/usr</c>) and a <see cref="SandboxRoot"/> made of layers. bwrap 0.8 (Debian 12) has no overlay options, so
/// <c>unshare</c> first makes a private mount namespace (and a user namespace when the worker is not root), a short
/// script mounts each overlay there on its mount point, and then execs bwrap, which binds the mount points. Nothing is
/// mounted in the host's namespace; the mounts vanish with the sandbox.
/// </summary>
/// <remarks>
/// The overlays are mounted on their own mount points, never over the host's <c>/usr</c> itself: the script and bwrap
/// run outside the sandbox, and a dependency's <c>/usr/bin/bwrap</c> or <c>libc.so.6</c> must never be what they run.
/// </remarks>
internal static class OverlayLauncher
{
    /// <summary>How the script's own errors start; <see cref="BubblewrapSandbox"/> reports such a line as a sandbox that could not start.</summary>
    public const string ErrorPrefix = "forgeline-sandbox: ";

    /// <summary>The sandbox paths that can have an overlay: the host directories the sandbox shows.</summary>
    public static readonly string[] OverlayablePaths = ["/usr", "/etc"];

    // Arguments: (what, mount options, mount point) triples, "--", then the program's command line. overlayfs takes its
    // options as text, so the paths are checked for ',', ':' and '\' before they get here.
    private const string Script = """
        while [ "$1" != -- ]; do
          if ! out=$(mount -t overlay forgeline -o "$2" "$3" 2>&1); then
            echo "forgeline-sandbox: could not mount $1 at $3: $(printf '%s' "$out" | head -n 1)" >&2
            exit 125
          fi
          shift 3
        done
        shift
        exec "$@"
        """;

    /// <summary>The program and arguments that mount <paramref name="mounts"/> and then run <paramref name="program"/> with <paramref name="arguments"/>.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) CommandLine(IReadOnlyList<OverlayMount> mounts, string program, IReadOnlyList<string> arguments)
    {
        var args = new List<string> { "--mount", "--propagation", "private" };
        if (!Environment.IsPrivilegedProcess)
        {
            // Unprivileged, mount(8) and the kernel need a user namespace in which the worker is root.
            args.Insert(0, "--map-root-user");
        }

        args.AddRange(["--", "/bin/sh", "-c", Script, "forgeline-sandbox"]);
        foreach (var mount in mounts)
        {
            args.AddRange([mount.What, mount.Options, mount.MountPoint]);
        }

        args.Add("--");
        args.Add(program);
        args.AddRange(arguments);
        return ("unshare", args);
    }

    /// <summary>The mount of <paramref name="overlay"/>: its layer over the host's directory, read-only.</summary>
    public static OverlayMount MountOf(SandboxOverlay overlay)
    {
        if (!OverlayablePaths.Contains(overlay.SandboxPath, StringComparer.Ordinal))
        {
            throw new ArgumentException($"an overlay can only go over {string.Join(" or ", OverlayablePaths)}, not '{overlay.SandboxPath}'", nameof(overlay));
        }

        Check(overlay.LayerPath, overlay.MountPoint);
        return new OverlayMount($"{overlay.LayerPath} over {overlay.SandboxPath}", $"lowerdir={overlay.LayerPath}:{overlay.SandboxPath},nosuid,nodev", overlay.MountPoint);
    }

    /// <summary>The mount of <paramref name="root"/>'s layers: writable when it has an upper layer, read-only otherwise.</summary>
    public static OverlayMount MountOf(SandboxRoot root)
    {
        var layers = root.Layers ?? throw new ArgumentException("a root of one plain directory needs no overlay", nameof(root));
        if (layers.Count == 0 || layers.Count == 1 && root.Upper is null)
        {
            throw new ArgumentException("a read-only root overlay needs two layers or more, a writable one at least one", nameof(root));
        }

        Check([.. layers, root.MountPoint, .. root.Upper is null ? Array.Empty<string>() : [root.Upper, root.Work ?? ""]]);
        var options = root.Upper is null
            ? $"lowerdir={string.Join(':', layers)}"
            : $"lowerdir={string.Join(':', layers)},upperdir={root.Upper},workdir={root.Work}";
        return new OverlayMount("the build root", options, root.MountPoint);
    }

    private static void Check(params string[] paths)
    {
        foreach (var path in paths)
        {
            if (!Path.IsPathFullyQualified(path) || path.IndexOfAny([',', ':', '\\', '\n']) >= 0)
            {
                throw new ArgumentException($"overlay path '{path}' must be absolute and free of ',', ':', '\\' and newlines");
            }
        }
    }
}

/// <summary>One overlayfs mount made before the sandbox starts.</summary>
/// <param name="What">For the error message, e.g. "the build root".</param>
/// <param name="Options">overlayfs's <c>-o</c> options.</param>
/// <param name="MountPoint">The empty host directory it is mounted on (in the sandbox's namespace only).</param>
internal sealed record OverlayMount(string What, string Options, string MountPoint);
