using System.Diagnostics;
using System.Text;
using Forgeline.Core.Processes;

namespace Forgeline.Images.Vm;

/// <summary>
/// A running QEMU (or the bubblewrap around it): its stderr kept in a file and as a tail for failure reasons, killed
/// with everything it started when disposed. Started by <see cref="SandboxLauncher"/>.
/// </summary>
public sealed class QemuProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Task pumping;
    private readonly List<string> lines = [];

    private QemuProcess(Process process, string logPath)
    {
        this.process = process;
        log = new StreamWriter(logPath, append: false, Encoding.UTF8) { AutoFlush = true };
        pumping = PumpAsync();
    }

    /// <summary>Whether it has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Its exit status once ended.</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>, its stderr (and stdout) going to <paramref name="logPath"/>.</summary>
    public static async Task<QemuProcess> StartAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, string logPath)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = await SandboxLauncher.StartAsync(start);
        process.StandardInput.Close();
        return new QemuProcess(process, logPath);
    }

    /// <summary>The last <paramref name="count"/> lines QEMU wrote, without its "waiting for connection" notices, joined for a reason.</summary>
    public async Task<string> TailAsync(int count = 3)
    {
        if (process.HasExited)
        {
            // Everything it wrote is read once its pipes close.
            await pumping.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        lock (lines)
        {
            return string.Join(" | ", lines.Where(l => !l.Contains("waiting for connection", StringComparison.Ordinal) && l.Trim().Length > 0).TakeLast(count));
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for it to end; true if it did.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Kills it and everything it started (bwrap's namespace, QEMU) and waits for the end.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }

        await process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        await pumping.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        await log.DisposeAsync();
        process.Dispose();
    }

    private Task PumpAsync() => Task.WhenAll(Pump(process.StandardError), Pump(process.StandardOutput));

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (lines)
            {
                lines.Add(line);
                log.WriteLine(line);
            }
        }
    }
}
