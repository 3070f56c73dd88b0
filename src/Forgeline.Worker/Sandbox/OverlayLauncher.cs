namespace Forgeline.Worker.Sandbox;

/// <summary>
/// Starts bwrap with <see cref="SandboxOverlay"/>s mounted. bwrap 0.8 (Debian 12) has no overlay options, so
/// <c>unshare</c> first makes a private mount namespace (and a user namespace when the worker is not root), a short
/// script mounts each overlay there on its mount point, and then execs bwrap, which binds the mount points where the
/// host's directories would go. Nothing is mounted in the host's namespace; the mounts vanish with the sandbox.
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

    // Arguments: (layer, host directory, mount point) triples, "--", then bwrap's command line. overlayfs takes its
    // options as text, so the paths are checked for ',', ':' and '\' before they get here.
    private const string Script = """
        while [ "$1" != -- ]; do
          if ! out=$(mount -t overlay forgeline-deps -o "lowerdir=$1:$2,nosuid,nodev" "$3" 2>&1); then
            echo "forgeline-sandbox: could not lay $1 over $2 at $3: $(printf '%s' "$out" | head -n 1)" >&2
            exit 125
          fi
          shift 3
        done
        shift
        exec "$@"
        """;

    /// <summary>The program and arguments that mount <paramref name="overlays"/> and then run <paramref name="bwrap"/> with <paramref name="bwrapArguments"/>.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) CommandLine(IReadOnlyList<SandboxOverlay> overlays, string bwrap, IReadOnlyList<string> bwrapArguments)
    {
        var args = new List<string> { "--mount", "--propagation", "private" };
        if (!Environment.IsPrivilegedProcess)
        {
            // Unprivileged, mount(8) and the kernel need a user namespace in which the worker is root.
            args.Insert(0, "--map-root-user");
        }

        args.AddRange(["--", "/bin/sh", "-c", Script, "forgeline-sandbox"]);
        foreach (var overlay in overlays)
        {
            Check(overlay);
            args.AddRange([overlay.LayerPath, overlay.SandboxPath, overlay.MountPoint]);
        }

        args.Add("--");
        args.Add(bwrap);
        args.AddRange(bwrapArguments);
        return ("unshare", args);
    }

    private static void Check(SandboxOverlay overlay)
    {
        if (!OverlayablePaths.Contains(overlay.SandboxPath, StringComparer.Ordinal))
        {
            throw new ArgumentException($"an overlay can only go over {string.Join(" or ", OverlayablePaths)}, not '{overlay.SandboxPath}'", nameof(overlay));
        }

        foreach (var path in new[] { overlay.LayerPath, overlay.MountPoint })
        {
            if (!Path.IsPathFullyQualified(path) || path.IndexOfAny([',', ':', '\\', '\n']) >= 0)
            {
                throw new ArgumentException($"overlay path '{path}' must be absolute and free of ',', ':', '\\' and newlines", nameof(overlay));
            }
        }
    }
}
