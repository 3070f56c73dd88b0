using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Forgeline.BotDeliveries;

/// <summary>The <see cref="BaselineReceiver"/> running as a child process of the benchmark (this executable with <c>baseline</c>).</summary>
internal sealed class BaselineProcess : IAsyncDisposable
{
    private readonly Process process;

    private BaselineProcess(Process process, int port)
    {
        this.process = process;
        Hook = new Uri($"http://127.0.0.1:{port}/hooks/github");
    }

    /// <summary>Its webhook URL.</summary>
    public Uri Hook { get; }

    /// <summary>Its process id.</summary>
    public int ProcessId => process.Id;

    /// <summary>Starts a receiver appending to <paramref name="file"/>, with an fsync per batch when <paramref name="sync"/>; returns once it listens.</summary>
    public static async Task<BaselineProcess> StartAsync(string file, string secret, bool sync)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { typeof(BaselineProcess).Assembly.Location, "baseline", port.ToString(System.Globalization.CultureInfo.InvariantCulture), file, secret, sync ? "sync" : "nosync" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the baseline receiver");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !line.StartsWith("baseline listening", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the baseline receiver did not start: {line}");
        }

        return new BaselineProcess(process, port);
    }

    /// <summary>Stops it (by closing its stdin) and returns what it printed on the way out.</summary>
    public async Task<string> StopAsync()
    {
        process.StandardInput.Close();
        var rest = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return rest.Trim();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
