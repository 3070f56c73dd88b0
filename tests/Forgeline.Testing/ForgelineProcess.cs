using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Forgeline.Testing;

/// <summary>A running <c>forgeline</c> process (server or worker) whose output the test can watch, stop or kill -9.</summary>
public sealed class ForgelineProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly ConcurrentQueue<(string Needle, TaskCompletionSource Seen)> waiters = new();

    private ForgelineProcess(Process process)
    {
        this.process = process;
    }

    /// <summary>Process id.</summary>
    public int Id => process.Id;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Everything it printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet forgeline.dll args</c> with extra environment.</summary>
    public static ForgelineProcess Start(IEnumerable<string> args, IDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ForgelineBinary.DllPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.WorkingDirectory = workingDirectory ?? Path.GetTempPath();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var wrapper = new ForgelineProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.Append(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Waits until a line containing <paramref name="needle"/> was printed.</summary>
    public async Task WaitForOutputAsync(string needle, TimeSpan? timeout = null)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiters.Enqueue((needle, seen));
        if (Output.Contains(needle, StringComparison.Ordinal))
        {
            seen.TrySetResult();
        }

        try
        {
            await seen.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{needle}' never appeared; output was:\n{Output}");
        }
    }

    /// <summary>kill -9: no chance to clean up.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Waits for the process to end by itself (a CLI verb); returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await process.WaitForExitAsync().WaitAsync(timeout);
        return process.ExitCode;
    }

    /// <summary>SIGTERM and wait for a graceful exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!process.HasExited)
        {
            _ = NativeMethods.Kill(process.Id, 15);
        }

        // Also when the process has already exited: WaitForExitAsync waits until its redirected output is read to the end,
        // so Output holds the last lines (HasExited turns true before they are delivered).
        await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        return process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        foreach (var (needle, seen) in waiters)
        {
            if (line.Contains(needle, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }
    }

    private static class NativeMethods
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        internal static extern int Kill(int pid, int signal);
    }
}
