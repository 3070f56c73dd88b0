namespace Forgeline.Playground.Sessions;

/// <summary>
/// The command line of one playground session: in a mount namespace of its own, a tmpfs (the session's disk, and its
/// quota) holds the upper layer of an overlayfs over the environment's cached image, so the session starts at once,
/// changes what it likes, and never changes the image; then, as an unprivileged host user, bubblewrap runs the shell
/// with the merged tree as <c>/</c>: every namespace its own (no network, or with an allow-list a user-mode network
/// whose firewall lets out only the allowed endpoints), no capabilities, the learner's uid inside.
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

    // Runs as root in the session's own mount namespace, then hands over to the learner (setpriv, bwrap). With a kept
    // home the script stays as the session's first process: after the shell ends (or the terminal hangs up) it packs
    // the home as the learner, if it fits, and replaces the archive in one rename.
    private const string MountScript = """
        set -e
        exec 2>&1
        disk="$1"; layers="$2"; size="$3"; home="$4"; uid="$5"; keep="$6"; keepkb="$7"; allow="$8"; hosts="$9"; shift 9
        mount -t tmpfs -o "size=$size,mode=0755,nosuid,nodev" forgeline-playground "$disk"
        mkdir "$disk/upper" "$disk/work" "$disk/root"
        # The mount points and the learner's home, in the session's own layer (the image may lack them).
        mkdir -p "$disk/upper/proc" "$disk/upper/dev" "$disk/upper/tmp" "$disk/upper$home"
        chown "$uid:$uid" "$disk/upper$home"
        as_learner() { setpriv --reuid "$uid" --regid "$uid" --clear-groups --inh-caps=-all --bounding-set=-all -- "$@"; }
        if [ -n "$keep" ] && [ -f "$keep/home.tar" ]; then
            as_learner tar -xf - -C "$disk/upper$home" < "$keep/home.tar" || echo "forgeline: the kept home could not be unpacked; starting with an empty one" >&2
        fi
        mount -t overlay forgeline-playground -o "lowerdir=$layers,upperdir=$disk/upper,workdir=$disk/work,nosuid,nodev" "$disk/root"
        if [ -n "$allow" ]; then
            # In the session's own network namespace (pasta's): nothing goes out but to the allowed endpoints.
            gw=$(ip -4 route show default | awk '{print $3; exit}')
            iptables -w -P OUTPUT DROP
            iptables -w -A OUTPUT -o lo -j ACCEPT
            for endpoint in $allow; do
                address="${endpoint%:*}"; [ "$address" = "@host" ] && address="$gw"
                iptables -w -A OUTPUT -p tcp -d "$address" --dport "${endpoint##*:}" -j ACCEPT
            done
            # Refused at once rather than left to time out; the DROP policy stays behind it.
            iptables -w -A OUTPUT -p tcp -j REJECT --reject-with tcp-reset
            iptables -w -A OUTPUT -j REJECT
            ip6tables -w -P OUTPUT DROP 2>/dev/null || true
            mkdir -p "$disk/root/etc"
            { cat "$disk/root/etc/hosts" 2>/dev/null || printf '127.0.0.1 localhost\n'; printf '%s\n' "$hosts" | sed "s/^@host /$gw /"; } > "$disk/hosts"
            cat "$disk/hosts" > "$disk/root/etc/hosts"
        fi
        if [ -z "$keep" ]; then exec "$@"; fi
        trap 'true' HUP TERM
        set +e
        "$@"
        status=$?
        used=$(du -sk "$disk/upper$home" | cut -f1)
        if [ "$used" -le "$keepkb" ]; then
            as_learner tar -cf - -C "$disk/upper$home" . > "$keep/home.tar.partial" && mv -f "$keep/home.tar.partial" "$keep/home.tar"
        fi
        exit $status
        """;

    /// <summary>The program and arguments that run <paramref name="command"/> in a session of an image.</summary>
    /// <param name="layers">The image's layers, top first (read-only to sessions; overlayfs lower directories).</param>
    /// <param name="mountPoint">An empty host directory; each session mounts its disk there in its own namespace only, so one serves all.</param>
    /// <param name="diskMegabytes">What the session may write, in MiB.</param>
    /// <param name="command">What runs inside, e.g. <c>/bin/bash -l</c>.</param>
    /// <param name="keptHome">
    /// A host directory, private to the host, that keeps the learner's home between sessions (its <c>home.tar</c>, which
    /// the learner's tar reads and writes only through a pipe), or null for a fresh home each time.
    /// </param>
    /// <param name="keptHomeMegabytes">The most a kept home may hold; a larger one is not kept.</param>
    /// <param name="network">The endpoints the session may reach, or null for no network at all.</param>
    public static IReadOnlyList<string> CommandLine(
        IReadOnlyList<string> layers, string mountPoint, int diskMegabytes, IReadOnlyList<string> command, string? keptHome = null, int keptHomeMegabytes = 0,
        SessionNetwork? network = null)
    {
        if (layers.Count == 0)
        {
            throw new ArgumentException("an image has at least one layer", nameof(layers));
        }

        foreach (var path in layers.Append(mountPoint).Concat(keptHome is null ? [] : [keptHome]))
        {
            if (!Path.IsPathFullyQualified(path) || path.IndexOfAny([',', ':', '\\', '\n']) >= 0)
            {
                throw new ArgumentException($"'{path}' must be an absolute path without ',', ':', '\\' or newlines (overlayfs takes paths as text)");
            }
        }

        // With an allow-list, pasta makes the session's network namespace (IPv4 only, no port forwarded into it) and
        // runs the rest inside it, as root so that the script can set the firewall; bwrap then keeps that namespace.
        // pasta's own complaints (no syslog, no user namespace wanted) would land on the learner's terminal: its stderr
        // goes nowhere, and the script below takes the terminal back for itself and everything after it.
        IReadOnlyList<string> userModeNetwork = network is null ? [] : ["/bin/sh", "-c", "exec \"$@\" 2>/dev/null", "forgeline-network", "pasta", "--runas", "0", "--config-net", "--quiet", "--foreground", "-4", "--netns-only",
            "-t", "none", "-u", "none", "-T", "none", "-U", "none", "--"];
        return
        [
            .. userModeNetwork,
            "unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", MountScript, "forgeline-playground", mountPoint, string.Join(':', layers),
            $"{diskMegabytes}m", Home, $"{LearnerId}", keptHome ?? "", $"{keptHomeMegabytes * 1024}", network?.AllowText ?? "", network?.HostsText ?? "",
            // An unprivileged host user from here on: the image's root-owned files are nobody's inside, not the learner's.
            "setpriv", "--reuid", $"{LearnerId}", "--regid", $"{LearnerId}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--",
            "bwrap", "--unshare-all", .. (network is null ? Array.Empty<string>() : ["--share-net"]), "--die-with-parent", "--cap-drop", "ALL", "--uid", $"{LearnerId}", "--gid", $"{LearnerId}", "--hostname", "playground",
            "--bind", Path.Combine(mountPoint, "root"), "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", Home,
            "--clearenv", "--setenv", "HOME", Home, "--setenv", "USER", "learner", "--setenv", "TERM", "xterm-256color", "--setenv", "LANG", "C.UTF-8",
            "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--",
            .. command,
        ];
    }
}
