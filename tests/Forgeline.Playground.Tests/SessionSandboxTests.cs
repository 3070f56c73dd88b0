using System.Net;
using System.Net.Sockets;
using System.Text;
using Forgeline.Playground.Sessions;
using Forgeline.Playground.Terminal;
using Forgeline.Testing;
using Forgeline.Testing.BuildRoots;

namespace Forgeline.Playground.Tests;

/// <summary>
/// A session of an environment image: a shell on a real terminal, as the learner, in the image and nothing of the
/// host, without network, on a disk of its own that vanishes with it, never changing the image. The image here is
/// installed with dnf from the test distribution (the host's shell and coreutils, packaged as test-buildsys).
/// </summary>
public sealed class SessionSandboxTests : IClassFixture<SessionSandboxTests.Image>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Image image;

    public SessionSandboxTests(Image image) => this.image = image;

    [Fact]
    public async Task A_session_is_the_learner_in_the_image_without_the_host_or_the_network_and_leaves_the_image_as_it_was()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var script = $"""
            echo "uid=$(id -u) home=$HOME pwd=$(pwd)"
            test -e /etc/debian_version || echo NO-HOST-ROOT
            echo note > note.txt && cat note.txt
            echo planted > /usr/bin/planted 2>/dev/null || echo IMAGE-READ-ONLY-TO-THE-LEARNER
            (echo hello > /dev/tcp/127.0.0.1/{port}) 2>/dev/null || echo NO-NETWORK
            test -t 0 && echo ON-A-TERMINAL
            """;

        var output = await RunAsync(["/bin/bash", "-c", script]);

        output.ShouldContain($"uid={SessionSandbox.LearnerId} home={SessionSandbox.Home} pwd={SessionSandbox.Home}");
        output.ShouldContain("NO-HOST-ROOT");
        output.ShouldContain("note\r\n");
        output.ShouldContain("IMAGE-READ-ONLY-TO-THE-LEARNER");
        output.ShouldContain("NO-NETWORK");
        output.ShouldContain("ON-A-TERMINAL");
        listener.Pending().ShouldBeFalse();
        File.Exists(Path.Combine(image.Root, "home", "learner", "note.txt")).ShouldBeFalse("the session wrote to its own disk, not the image");
        Directory.EnumerateFileSystemEntries(image.MountPoint).ShouldBeEmpty("the session's disk was mounted in its own namespace only");
    }

    [Fact]
    public async Task A_new_session_starts_from_the_image_not_from_the_last_session()
    {
        await RunAsync(["/bin/sh", "-c", "echo first > left-behind.txt"]);

        var output = await RunAsync(["/bin/sh", "-c", "test -e left-behind.txt && echo STILL-THERE || echo FRESH"]);

        output.ShouldContain("FRESH");
    }

    [Fact]
    public async Task A_session_cannot_write_more_than_its_disk()
    {
        var output = await RunAsync(["/bin/sh", "-c", "head -c 8388608 /dev/zero > big || echo DISK-FULL"], diskMegabytes: 4);

        output.ShouldContain("No space left on device");
        output.ShouldContain("DISK-FULL");
    }

    [Theory]
    [InlineData("relative/image")]
    [InlineData("/srv/im,age")]
    public void Paths_that_overlayfs_cannot_take_are_refused(string path)
    {
        Should.Throw<ArgumentException>(() => SessionSandbox.CommandLine([path], "/srv/mnt", 64, ["/bin/sh"])).Message.ShouldContain("must be an absolute path");
    }

    private async Task<string> RunAsync(IReadOnlyList<string> command, int diskMegabytes = 64)
    {
        using var terminal = new PseudoTerminal(80, 24);
        terminal.Start(SessionSandbox.CommandLine([image.Root], image.MountPoint, diskMegabytes, command), new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" });
        var exited = terminal.WaitForExitAsync();
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await Task.Run(() => terminal.Master.Read(buffer)).WaitAsync(Patience)) > 0)
            {
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // EIO: the session is over.
        }

        await exited.WaitAsync(Patience);
        return text.ToString();
    }

    /// <summary>The environment image: test-buildsys installed with dnf into a directory, once for the class.</summary>
    public sealed class Image : IAsyncLifetime
    {
        private readonly TempDirectory home = new("forgeline-playground-image");

        public string Root => home["image"];

        public string MountPoint => home["mnt"];

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(MountPoint);
            await (await TestDistribution.GetAsync()).InstallAsync(Root, home["dnf"], TestDistribution.BuildsysPackage);
        }

        public Task DisposeAsync()
        {
            home.Dispose();
            return Task.CompletedTask;
        }
    }
}
