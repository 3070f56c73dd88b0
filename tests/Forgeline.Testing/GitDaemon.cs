using System.Net;
using System.Net.Sockets;
using System.Diagnostics;

namespace Forgeline.Testing;

/// <summary>A real <c>git daemon</c> serving a directory on loopback, so builds clone over the network as from a forge.</summary>
public sealed class GitDaemon : IAsyncDisposable
{
    private readonly Process process;

    private GitDaemon(Process process, int port)
    {
        this.process = process;
        Url = $"git://127.0.0.1:{port}";
    }

    /// <summary>Base URL; append the repository directory name.</summary>
    public string Url { get; }

    /// <summary>Serves every repository under <paramref name="root"/>.</summary>
    public static async Task<GitDaemon> StartAsync(string root)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1", $"--port={port}", $"--base-path={root}", root })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return new GitDaemon(process, port);
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        process.Kill();
        throw new InvalidOperationException("git daemon did not start");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
