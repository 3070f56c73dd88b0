namespace Forgeline.Playground.Sessions;

/// <summary>
/// The command line of one playground session: in a mount namespace of its own, a tmpfs (the session's disk, and its
/// quota) holds the upper layer of an overlayfs over the environment's cached image, so the session starts at once,
/// changes what it likes, and never changes the image; then, as an unprivileged host user, bubblewrap runs the shell
/// with the merged tree as <c>/</c>: every namespace its own (no network), no capabilities, the learner's uid inside.
/// Everything is gone when the shell ends.
/// </summary>
/// <remarks>
/// bwrap's <c>--new-session</c> is left out on purpose: with it the shell has no controlling terminal, so there is no job
/// control and no SIGWINCH. Without it a program in the session can push input into the session's own terminal
/// (TIOCSTI), which only the learner reads.
/// </remarks>
public static class SessionSandbox
{
    /// <summary>The learner's uid and gid inside the session, and the host user bwrap runs as.</summary>
    public const int LearnerId = 1000;

    /// <summary>The learner's home inside the session.</summary>
    public const string Home = "/home/learner";

    private const string MountScript = """
        set -e
        disk="$1"; image="$2"; size="$3"; home="$4"; uid="$5"; shift 5
        mount -t tmpfs -o "size=$size,mode=0755,nosuid,nodev" forgeline-playground "$disk"
        mkdir "$disk/upper" "$disk/work" "$disk/root"
        # The mount points and the learner's home, in the session's own layer (the image may lack them).
        mkdir -p "$disk/upper/proc" "$disk/upper/dev" "$disk/upper/tmp" "$disk/upper$home"
        chown "$uid:$uid" "$disk/upper$home"
        mount -t overlay forgeline-playground -o "lowerdir=$image,upperdir=$disk/upper,workdir=$disk/work,nosuid,nodev" "$disk/root"
        exec "$@"
        """;

    /// <summary>The program and arguments that run <paramref name="command"/> in a session of <paramref name="image"/>.</summary>
    /// <param name="image">The environment's root file system (read-only to sessions).</param>
    /// <param name="mountPoint">An empty host directory; each session mounts its disk there in its own namespace only, so one serves all.</param>
    /// <param name="diskMegabytes">What the session may write, in MiB.</param>
    /// <param name="command">What runs inside, e.g. <c>/bin/bash -l</c>.</param>
    public static IReadOnlyList<string> CommandLine(string image, string mountPoint, int diskMegabytes, IReadOnlyList<string> command)
    {
        foreach (var path in new[] { image, mountPoint })
        {
            if (!Path.IsPathFullyQualified(path) || path.IndexOfAny([',', ':', '\\', '\n']) >= 0)
            {
                throw new ArgumentException($"'{path}' must be an absolute path without ',', ':', '\\' or newlines (overlayfs takes paths as text)");
            }
        }

        return
        [
            "unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", MountScript, "forgeline-playground", mountPoint, image, $"{diskMegabytes}m", Home, $"{LearnerId}",
            // An unprivileged host user from here on: the image's root-owned files are nobody's inside, not the learner's.
            "setpriv", "--reuid", $"{LearnerId}", "--regid", $"{LearnerId}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--",
            "bwrap", "--unshare-all", "--die-with-parent", "--cap-drop", "ALL", "--uid", $"{LearnerId}", "--gid", $"{LearnerId}", "--hostname", "playground",
            "--bind", Path.Combine(mountPoint, "root"), "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", Home,
            "--clearenv", "--setenv", "HOME", Home, "--setenv", "USER", "learner", "--setenv", "TERM", "xterm-256color", "--setenv", "LANG", "C.UTF-8",
            "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--",
            .. command,
        ];
    }
}
