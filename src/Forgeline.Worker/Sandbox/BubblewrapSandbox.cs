using System.Diagnostics;

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

    /// <summary>The bwrap arguments for <paramref name="request"/>, ending with the command.</summary>
    public static IReadOnlyList<string> Arguments(SandboxRequest request)
    {
        var args = new List<string> { "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "forgeline-build" };
        if (request.Network)
        {
            args.Add("--share-net");
        }

        args.AddRange(["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]);
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
        args.AddRange(["--bind", request.WorkDirectory, "/build", "--chdir", "/build"]);
        args.AddRange(["--clearenv", "--setenv", "PATH", "/usr/bin:/bin:/usr/sbin:/sbin", "--setenv", "HOME", "/build",
            "--setenv", "LANG", "C.UTF-8", "--setenv", "TMPDIR", "/tmp", "--setenv", "SOURCE_DATE_EPOCH_FROM_CHANGELOG", "1"]);
        // stderr joins stdout inside the sandbox so the log keeps the order the build wrote in.
        args.AddRange(["--", "/bin/sh", "-c", "exec \"$@\" 2>&1", "sh"]);
        args.AddRange(request.Command);
        return args;
    }

    /// <summary>Runs the command, passing its output to <paramref name="onOutput"/> as it comes.</summary>
    public async Task<SandboxResult> RunAsync(SandboxRequest request, Func<ReadOnlyMemory<byte>, Task> onOutput, CancellationToken stop)
    {
        var start = new ProcessStartInfo(bwrapPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in Arguments(request))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = await SandboxLauncher.StartAsync(start);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(request.Timeout);
        using var limit = new CancellationTokenSource();
        using var any = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token, limit.Token);
        long total = 0;
        var gate = new SemaphoreSlim(1, 1);

        async Task PumpAsync(Stream stream)
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, CancellationToken.None)) > 0)
            {
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

        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput.BaseStream), PumpAsync(process.StandardError.BaseStream));
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

        return new SandboxResult(SandboxOutcome.Exited, process.ExitCode, total);
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
