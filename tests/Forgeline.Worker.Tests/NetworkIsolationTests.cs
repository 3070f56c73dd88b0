using System.Net;
using System.Net.Sockets;
using System.Text;
using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>A build has no network; only a request with Network=true (fetching sources) reaches the host's.</summary>
public sealed class NetworkIsolationTests : IDisposable
{
    private readonly TempDirectory work = new("forgeline-sandbox");
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);

    public NetworkIsolationTests()
    {
        listener.Start();
    }

    private int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public void Dispose()
    {
        listener.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task Without_network_the_only_interface_is_loopback()
    {
        var (result, output) = await Sandboxed.ShAsync(work.Path, "cat /proc/net/dev");

        result.Succeeded.ShouldBeTrue(output.Text);
        var interfaces = output.Text.Split('\n').Skip(2).Where(l => l.Contains(':', StringComparison.Ordinal)).Select(l => l.Split(':')[0].Trim()).ToList();
        interfaces.ShouldBe(["lo"]);
    }

    [Fact]
    public async Task With_network_the_hosts_interfaces_are_visible()
    {
        // The counterpart of the test above: the host has more than loopback, so seeing only "lo" means isolation.
        var hostInterfaces = File.ReadAllLines("/proc/net/dev").Skip(2).Select(l => l.Split(':')[0].Trim()).ToList();
        hostInterfaces.Count.ShouldBeGreaterThan(1, "the host has only loopback, so this cannot tell isolated from shared");

        var (result, output) = await Sandboxed.ShAsync(work.Path, "cat /proc/net/dev", network: true);

        result.Succeeded.ShouldBeTrue(output.Text);
        var interfaces = output.Text.Split('\n').Skip(2).Where(l => l.Contains(':', StringComparison.Ordinal)).Select(l => l.Split(':')[0].Trim()).ToList();
        interfaces.ShouldBe(hostInterfaces, ignoreOrder: true);
    }

    [Fact]
    public async Task Without_network_a_listener_on_the_hosts_loopback_cannot_be_reached()
    {
        File.Exists("/usr/bin/bash").ShouldBeTrue("bash is needed for /dev/tcp");

        var (result, output) = await Sandboxed.RunAsync(Sandboxed.Request(work.Path, ["bash", "-c", $"echo hello > /dev/tcp/127.0.0.1/{Port} && echo CONNECTED"]));

        result.Outcome.ShouldBe(SandboxOutcome.Exited);
        result.ExitCode.ShouldNotBe(0, output.Text);
        output.Text.ShouldNotContain("CONNECTED");
        // bash did try: the failure is the connection's, not a missing shell.
        output.Text.ShouldContain("Connection refused");
        // The command has finished, so a connection it made would be waiting in the backlog now.
        listener.Pending().ShouldBeFalse();
    }

    [Fact]
    public async Task With_network_the_same_listener_is_reached()
    {
        var accepted = listener.AcceptTcpClientAsync();

        var (result, output) = await Sandboxed.RunAsync(Sandboxed.Request(work.Path, ["bash", "-c", $"echo hello > /dev/tcp/127.0.0.1/{Port} && echo CONNECTED"], network: true));

        result.Succeeded.ShouldBeTrue(output.Text);
        output.Text.ShouldBe("CONNECTED\n");
        using var client = await accepted.WaitAsync(Sandboxed.Patience);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII, detectEncodingFromByteOrderMarks: false);
        (await reader.ReadLineAsync().WaitAsync(Sandboxed.Patience)).ShouldBe("hello");
    }
}
