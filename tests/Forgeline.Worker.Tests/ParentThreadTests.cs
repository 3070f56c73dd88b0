using System.Net;
using System.Net.Sockets;
using System.Text;
using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>
/// A build outlives the thread that happened to start it. The worker calls the sandbox from thread-pool threads, and
/// the pool retires idle threads while long builds run.
/// </summary>
public sealed class ParentThreadTests : IDisposable
{
    private readonly TempDirectory work = new("forgeline-sandbox");
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);

    public ParentThreadTests()
    {
        listener.Start();
    }

    public void Dispose()
    {
        listener.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task A_run_survives_the_exit_of_the_thread_that_started_it()
    {
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // The command holds a connection to the test and waits for a line on it: the test decides when it ends.
        var request = Sandboxed.Request(work.Path, ["bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{port}; echo connected; read -r line <&3; echo \"got $line\""], network: true);
        var output = new OutputCollector();
        var started = new TaskCompletionSource<Task<SandboxResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var starter = new Thread(() =>
        {
            started.SetResult(new BubblewrapSandbox().RunAsync(request, output.OnOutputAsync, CancellationToken.None));
            // Exit only once the command runs, so bwrap has set itself up before its parent thread goes away.
            output.WaitForAsync("connected\n").Wait();
        });
        starter.Start();
        var run = await started.Task.WaitAsync(Sandboxed.Patience);
        using var connection = await listener.AcceptTcpClientAsync().WaitAsync(Sandboxed.Patience);
        await output.WaitForAsync("connected\n");
        starter.Join(Sandboxed.Patience).ShouldBeTrue();

        // The thread that forked bwrap is gone; the build carries on and finishes when told.
        await connection.GetStream().WriteAsync(Encoding.ASCII.GetBytes("go\n"));
        var result = await run.WaitAsync(Sandboxed.Patience);

        result.Outcome.ShouldBe(SandboxOutcome.Exited);
        result.ExitCode.ShouldBe(0, output.Text);
        output.Text.ShouldBe("connected\ngot go\n");
    }
}
