using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Forgeline.Core.Processes;

namespace Forgeline.Worker.Sandbox;

/// <summary>
/// Runs commands under bubblewrap: every namespace unshared (no network unless asked), the host's /usr and /etc
/// read-only, a private /tmp, a fresh /proc and /dev, a cleared environment, and only the work directory writable.
/// </summary>
public sealed class BubblewrapSandbox(string bwrapPath = "bwrap")
{
    private static readonly string[] RootLinks = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];
    private static readonly string[] HiddenFiles = ["/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-", "/etc/sudoers"];
    private static readonly string[] HiddenDirectories = ["/etc/ssh", "/etc/ssl/private", "/etc/sudoers.d"];

    private static readonly Dictionary<string, string> DefaultEnvironment = new(StringComparer.Ordinal)
    {
        ["PATH"] = "/usr/bin:/bin:/usr/sbin:/sbin",
        ["HOME"] = "/build",
        ["LANG"] = "C.UTF-8",
        ["TMPDIR"] = "/tmp",
        ["SOURCE_DATE_EPOCH_FROM_CHANGELOG"] = "1",
    };

    private static readonly string[] SetupErrorPrefixes = ["bwrap: ", "unshare: ", OverlayLauncher.ErrorPrefix];

    // Inside, the command's stderr is joined to its stdout: what arrives on bwrap's stderr is bwrap's own (setup errors).
    private const int StartErrorCapture = 2048;

    // What rpm needs to install into a root: set owners and modes, chroot to run scriptlets, file capabilities.
    private static readonly string[] InstallCapabilities =
        ["CAP_CHOWN", "CAP_FOWNER", "CAP_FSETID", "CAP_DAC_OVERRIDE", "CAP_SYS_CHROOT", "CAP_SETFCAP", "CAP_MKNOD", "CAP_SETUID", "CAP_SETGID"];

    /// <summary>The bwrap arguments for <paramref name="request"/>, ending with the command.</summary>
    public static IReadOnlyList<string> Arguments(SandboxRequest request)
    {
        var args = new List<string>();
        if (request.Root is { Use: SandboxRootUse.InstallInto } installing)
        {
            // The host's dnf and rpm install: they keep what installing needs, in namespaces of their own; as root no
            // user namespace, so files get their real owners. Only the root, the binds and /build are writable.
            args.AddRange(["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--hostname", "forgeline-build"]);
            args.Add(request.Network ? "--share-net" : "--unshare-net");
            if (!Environment.IsPrivilegedProcess)
            {
                args.AddRange(["--unshare-user", "--uid", "0", "--gid", "0"]);
            }

            args.AddRange(["--cap-drop", "ALL"]);
            foreach (var capability in InstallCapabilities)
            {
                args.AddRange(["--cap-add", capability]);
            }

            HostView(args, request);
            args.AddRange(["--bind", installing.MountPoint, SandboxRoot.InstallPath]);
        }
        else if (request.Root is { Use: SandboxRootUse.RunInside } root)
        {
            // The root is all the command sees of a file system, read-only: no host /usr, no host /etc.
            args.AddRange(["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "forgeline-build"]);
            if (request.Network)
            {
                args.Add("--share-net");
            }

            args.AddRange(["--ro-bind", root.MountPoint, "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp"]);
        }
        else
        {
            args.AddRange(["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "forgeline-build"]);
            if (request.Network)
            {
                args.Add("--share-net");
            }

            HostView(args, request);
        }

        args.AddRange(["--bind", request.WorkDirectory, "/build"]);
        foreach (var bind in request.Binds ?? [])
        {
            args.AddRange([bind.ReadOnly ? "--ro-bind" : "--bind", bind.HostPath, bind.SandboxPath]);
        }

        args.AddRange(["--chdir", "/build", "--clearenv"]);
        var environment = new Dictionary<string, string>(DefaultEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in request.Environment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        foreach (var (name, value) in environment)
        {
            args.AddRange(["--setenv", name, value]);
        }

        // stderr joins stdout inside the sandbox so the log keeps the order the build wrote in.
        args.AddRange(["--", "/bin/sh", "-c", "exec \"$@\" 2>&1", "sh"]);
        args.AddRange(request.Command);
        return args;
    }

    /// <summary>The host's <c>/usr</c> and <c>/etc</c> read-only (or the overlays over them), without the host's secrets, and fresh /proc, /dev, /tmp, /var.</summary>
    private static void HostView(List<string> args, SandboxRequest request)
    {
        // With overlays, the merged trees (mounted by OverlayLauncher) stand where the host's directories would go.
        string Shown(string path) => request.Overlays?.FirstOrDefault(o => o.SandboxPath == path)?.MountPoint ?? path;
        args.AddRange(["--ro-bind", Shown("/usr"), "/usr", "--ro-bind", Shown("/etc"), "/etc"]);
        // Builds see the host's /etc for users, certificates and rpm macros, but never its secrets.
        foreach (var secret in HiddenFiles.Where(File.Exists))
        {
            args.AddRange(["--ro-bind", "/dev/null", secret]);
        }

        foreach (var secret in HiddenDirectories.Where(Directory.Exists))
        {
            args.AddRange(["--tmpfs", secret]);
        }

        foreach (var name in RootLinks)
        {
            // Merged-/usr hosts have these as symlinks into /usr; older layouts have real directories.
            var path = "/" + name;
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is { } target)
            {
                args.AddRange(["--symlink", target, path]);
            }
            else if (info.Exists)
            {
                args.AddRange(["--ro-bind", path, path]);
            }
        }

        args.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--tmpfs", "/var", "--dir", "/var/tmp"]);
    }

    /// <summary>
    /// The program to start for <paramref name="request"/> and its arguments: bwrap itself, or with overlays (laid
    /// over <c>/usr</c>, or a root of layers), <c>unshare</c> running <see cref="OverlayLauncher"/>'s script, which
    /// mounts them and then execs bwrap.
    /// </summary>
    public (string FileName, IReadOnlyList<string> Arguments) CommandLine(SandboxRequest request)
    {
        var mounts = (request.Overlays ?? []).Select(OverlayLauncher.MountOf).ToList();
        if (request.Root is { Layers: not null } root)
        {
            mounts.Add(OverlayLauncher.MountOf(root));
        }

        return mounts.Count > 0 ? OverlayLauncher.CommandLine(mounts, bwrapPath, Arguments(request)) : (bwrapPath, Arguments(request));
    }

    /// <summary>Runs the command, passing its output to <paramref name="onOutput"/> as it comes.</summary>
    public async Task<SandboxResult> RunAsync(SandboxRequest request, Func<ReadOnlyMemory<byte>, Task> onOutput, CancellationToken stop)
    {
        var (fileName, arguments) = CommandLine(request);
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        Process started;
        try
        {
            started = await SandboxLauncher.StartAsync(start);
        }
        catch (Win32Exception e)
        {
            return new SandboxResult(SandboxOutcome.FailedToStart, -1, 0, $"could not run {fileName}: {e.Message}");
        }

        using var process = started;
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(request.Timeout);
        using var limit = new CancellationTokenSource();
        using var any = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token, limit.Token);
        long total = 0;
        var gate = new SemaphoreSlim(1, 1);
        var ownErrors = new MemoryStream();

        async Task PumpAsync(Stream stream, MemoryStream? capture)
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, CancellationToken.None)) > 0)
            {
                if (capture is not null && capture.Length < StartErrorCapture)
                {
                    capture.Write(buffer, 0, (int)Math.Min(read, StartErrorCapture - capture.Length));
                }

                await gate.WaitAsync(CancellationToken.None);
                try
                {
                    var allowed = (int)Math.Max(0, Math.Min(read, request.OutputLimit - total));
                    total += read;
                    if (allowed > 0)
                    {
                        await onOutput(buffer.AsMemory(0, allowed));
                    }

                    if (total > request.OutputLimit)
                    {
                        await limit.CancelAsync();
                        return;
                    }
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream, null), PumpAsync(process.StandardError.BaseStream, ownErrors));
        try
        {
            await process.WaitForExitAsync(any.Token);
            await pumps;
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            // Deliver what was still in the pipes before returning, so the end of the log is never lost or late.
            await pumps.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            var outcome = limit.IsCancellationRequested ? SandboxOutcome.OutputLimitExceeded
                : timeout.IsCancellationRequested ? SandboxOutcome.TimedOut
                : SandboxOutcome.Stopped;
            return new SandboxResult(outcome, process.ExitCode, total);
        }

        if (total > request.OutputLimit)
        {
            return new SandboxResult(SandboxOutcome.OutputLimitExceeded, process.ExitCode, total);
        }

        if (process.ExitCode != 0 && SetupError(ownErrors) is { } problem)
        {
            return new SandboxResult(SandboxOutcome.FailedToStart, process.ExitCode, total, problem);
        }

        return new SandboxResult(SandboxOutcome.Exited, process.ExitCode, total);
    }

    /// <summary>
    /// bwrap reports its own failures (before the command runs) as a line starting with "bwrap: "; with overlays,
    /// unshare and the mounting script may fail before bwrap even starts.
    /// </summary>
    private static string? SetupError(MemoryStream ownErrors)
    {
        var text = Encoding.UTF8.GetString(ownErrors.GetBuffer(), 0, (int)ownErrors.Length);
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return line is not null && SetupErrorPrefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal)) ? line : null;
    }

    private static void Kill(Process process)
    {
        try
        {
            // bwrap runs the command as pid 1 of a new pid namespace: killing bwrap's tree ends every process in it.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
