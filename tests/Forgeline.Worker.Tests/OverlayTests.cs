using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>Overlays with the real bwrap and overlayfs: the command sees the layer over the host's /usr; the host does not.</summary>
public sealed class OverlayTests : IDisposable
{
    private readonly TempDirectory home = new("forgeline-overlay");

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task The_command_sees_the_layer_over_the_hosts_usr_read_only_and_the_host_sees_nothing()
    {
        var name = $"fl-overlay-{Guid.NewGuid():N}.h";
        Directory.CreateDirectory(home["layer/include"]);
        await File.WriteAllTextAsync(home[$"layer/include/{name}"], "from the layer\n");
        Directory.CreateDirectory(home["merged"]);
        Directory.CreateDirectory(home["work"]);
        var request = Sandboxed.Request(home["work"], ["sh", "-c", $"cat /usr/include/{name}; test -e /usr/include/stdio.h && echo host-header-too; touch /usr/include/new.h || echo read-only"])
            with { Overlays = [new SandboxOverlay(home["layer"], "/usr", home["merged"])] };

        var (result, output) = await Sandboxed.RunAsync(request);

        result.Succeeded.ShouldBeTrue(output.Text);
        output.Text.ShouldStartWith("from the layer\nhost-header-too\n");
        output.Text.ShouldEndWith("read-only\n");
        File.Exists($"/usr/include/{name}").ShouldBeFalse();
        Directory.EnumerateFileSystemEntries(home["merged"]).ShouldBeEmpty("the overlay was mounted in the sandbox's namespace only");
        Directory.EnumerateFileSystemEntries(home["layer/include"]).ShouldBe([home[$"layer/include/{name}"]]);
    }

    [Fact]
    public async Task An_overlay_that_cannot_be_mounted_means_the_sandbox_could_not_start()
    {
        Directory.CreateDirectory(home["layer"]);
        Directory.CreateDirectory(home["work"]);
        var request = Sandboxed.Request(home["work"], ["echo", "must not run"])
            with { Overlays = [new SandboxOverlay(home["layer"], "/usr", home["no-such-mount-point"])] };

        var (result, output) = await Sandboxed.RunAsync(request);

        result.Outcome.ShouldBe(SandboxOutcome.FailedToStart);
        result.StartProblem.ShouldStartWith($"forgeline-sandbox: could not mount {home["layer"]} over /usr at {home["no-such-mount-point"]}: mount: ");
        output.Text.ShouldNotContain("must not run");
    }
}
