using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Forgeline.Core.Playground;
using Forgeline.Core.Workers;
using Forgeline.Playground.Images;
using Forgeline.Playground.Sessions;
using Forgeline.Testing;
using Forgeline.Testing.BuildRoots;
using Forgeline.Testing.Playground;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forgeline.Playground.Tests.Images;

/// <summary>
/// Images built for real: rootfs directories and archives made from the host's programs
/// (<see cref="PlaygroundTestImage"/>), packages installed by dnf from the test distribution, files and setup scripts
/// run in bubblewrap, and the result checked as the learner sees it, through overlayfs as a session mounts it.
/// </summary>
public sealed class PlaygroundImagesTests : IDisposable
{
    private readonly TempDirectory home = new("forgeline-images");

    private string Cache => home["cache"];

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task A_rootfs_directory_is_the_bottom_layer_used_in_place_and_the_learner_runs_vim_and_top_there()
    {
        var rootfs = await PlaygroundTestImage.GetAsync();
        var images = new PlaygroundImages(Cache, NullLogger.Instance);

        var image = await images.EnsureAsync(new PlaygroundImageDefinition(Rootfs: rootfs), null, CancellationToken.None);

        image.Layers.ShouldBe([Path.Combine(Cache, image.Digest, "layer"), rootfs]);
        File.ReadAllText(Path.Combine(rootfs, "etc/passwd")).ShouldNotContain("learner", customMessage: "the rootfs directory is never changed");
        Directory.Exists(Path.Combine(rootfs, "home/learner")).ShouldBeFalse();
        var output = await RunAsLearnerAsync(image, """
            echo "user=$(id -un) group=$(id -gn) uid=$(id -u)"
            ls -ld /home/learner | cut -d' ' -f3,4
            vim --version | head -n 1
            vim -es -N -u DEFAULTS -c 'put =\"edited\"' -c 'wq! /tmp/edited.txt' && cat /tmp/edited.txt
            echo "colors=$(tput colors)"
            top -b -n 1 | head -n 1
            ps -o comm= | sort | head -n 3
            """);
        output.ShouldContain("user=learner group=learner uid=1000");
        output.ShouldContain("learner learner");
        output.ShouldContain("VIM - Vi IMproved");
        output.ShouldContain("edited");
        output.ShouldContain("colors=256");
        output.ShouldContain("top - ");
        output.ShouldContain("ps");
    }

    [Fact]
    public async Task A_rootfs_archive_is_extracted_once_and_the_next_ensure_is_a_cache_hit()
    {
        var archive = home["rootfs.tar.gz"];
        await ProcessRunner.RunCheckedAsync("tar", "-C", await PlaygroundTestImage.GetAsync(), "--numeric-owner", "-czf", archive, ".");
        var definition = new PlaygroundImageDefinition(Rootfs: archive);
        var first = new RecordingProgress();

        var image = await new PlaygroundImages(Cache, NullLogger.Instance).EnsureAsync(definition, first, CancellationToken.None);

        var directory = Path.Combine(Cache, image.Digest);
        image.Layers.ShouldBe([Path.Combine(directory, "layer"), Path.Combine(directory, "base")]);
        File.Exists(Path.Combine(directory, "base/usr/bin/bash")).ShouldBeTrue();
        first.Lines.ShouldContain("extracting rootfs.tar.gz");
        (await RunAsLearnerAsync(image, "id -un")).ShouldContain("learner");

        var marker = Path.Combine(directory, "layer", "marker-of-the-first-build");
        File.WriteAllText(marker, "");
        var again = new RecordingProgress();
        var cached = await new PlaygroundImages(Cache, NullLogger.Instance).EnsureAsync(definition, again, CancellationToken.None);

        cached.ShouldBe(image with { Layers = cached.Layers });
        cached.Layers.ShouldBe(image.Layers);
        File.Exists(marker).ShouldBeTrue("the second ensure used the image built by the first");
        again.Lines.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_rootfs_archive_with_a_member_outside_it_is_refused_and_leaves_nothing()
    {
        var inner = home["evil/inner"];
        Directory.CreateDirectory(inner);
        File.WriteAllText(home["evil/escaped"], "outside");
        var archive = home["evil.tar"];
        await ProcessRunner.RunAsync("tar", ["-C", inner, "-P", "-cf", archive, "../escaped"]);
        var images = new PlaygroundImages(Cache, NullLogger.Instance);

        var failure = await Should.ThrowAsync<PlaygroundImageException>(() => images.EnsureAsync(new PlaygroundImageDefinition(Rootfs: archive), null, CancellationToken.None));

        failure.Message.ShouldContain("extracting the rootfs");
        failure.Message.ShouldContain("Member name contains '..'");
        Directory.EnumerateFileSystemEntries(Cache).Where(e => !e.EndsWith(".lock", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Files_and_the_setup_script_land_in_the_image_and_never_in_the_rootfs_directory()
    {
        var rootfs = await PlaygroundTestImage.GetAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var definition = new PlaygroundImageDefinition(
            Rootfs: rootfs,
            Files: new Dictionary<string, string>
            {
                ["/etc/motd"] = "Welcome to the git course\n",
                ["/usr/local/bin/hello"] = "#!/bin/sh\necho hello from the course\n",
                // Through the image's own /bin -> usr/bin link, which must stay a link.
                ["/bin/course-tool"] = "#!/bin/sh\necho course tool\n",
            },
            Setup: $$"""
                echo "the setup script runs as $(id -u)"
                mkdir -p /opt/course
                hello > /opt/course/hello.txt
                if bash -c 'echo hi > /dev/tcp/127.0.0.1/{{port}}' 2>/dev/null; then echo network; else echo no-network; fi > /opt/course/network.txt
                """);
        var progress = new RecordingProgress();

        var image = await new PlaygroundImages(Cache, NullLogger.Instance).EnsureAsync(definition, progress, CancellationToken.None);

        var layer = image.Layers[0];
        File.ReadAllText(Path.Combine(layer, "etc/motd")).ShouldBe("Welcome to the git course\n");
        File.GetUnixFileMode(Path.Combine(layer, "etc/motd")).ShouldBe((UnixFileMode)Convert.ToInt32("644", 8));
        File.GetUnixFileMode(Path.Combine(layer, "usr/local/bin/hello")).ShouldBe((UnixFileMode)Convert.ToInt32("755", 8));
        File.Exists(Path.Combine(layer, "usr/bin/course-tool")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(layer, "opt/course/hello.txt")).ShouldBe("hello from the course\n");
        File.ReadAllText(Path.Combine(layer, "opt/course/network.txt")).ShouldBe("no-network\n");
        listener.Pending().ShouldBeFalse("the setup script has no network");
        progress.Lines.ShouldContain("writing 3 files");
        progress.Lines.ShouldContain("running the setup script");
        progress.Lines.ShouldContain("the setup script runs as 0");
        foreach (var path in new[] { "etc/motd", "usr/local/bin/hello", "usr/bin/course-tool", "opt" })
        {
            Path.Exists(Path.Combine(rootfs, path)).ShouldBeFalse($"{path} must not be written into the rootfs directory");
        }

        var output = await RunAsLearnerAsync(image, "cat /etc/motd; hello; course-tool; test -L /bin && echo BIN-IS-A-LINK");
        output.ShouldContain("Welcome to the git course");
        output.ShouldContain("hello from the course");
        output.ShouldContain("course tool");
        output.ShouldContain("BIN-IS-A-LINK");
        (await ProcessRunner.RunCheckedAsync("stat", "-c", "%u:%g", Path.Combine(layer, "usr/local/bin/hello"))).Trim().ShouldBe("0:0", "files are written as root");
    }

    [Fact]
    public async Task A_failing_setup_script_fails_the_image_with_its_output_and_leaves_nothing()
    {
        var rootfs = await PlaygroundTestImage.GetAsync();
        var images = new PlaygroundImages(Cache, NullLogger.Instance);

        var failure = await Should.ThrowAsync<PlaygroundImageException>(() => images.EnsureAsync(
            new PlaygroundImageDefinition(Rootfs: rootfs, Setup: "echo preparing the course\necho 'git: command not found' >&2\nexit 3"), null, CancellationToken.None));
        var stopped = await Should.ThrowAsync<PlaygroundImageException>(() => images.EnsureAsync(
            new PlaygroundImageDefinition(Rootfs: rootfs, Setup: "false\necho NOT-REACHED"), null, CancellationToken.None));

        failure.Message.ShouldContain("the setup script failed (exit 3)");
        failure.Message.ShouldContain("preparing the course");
        failure.Message.ShouldContain("git: command not found");
        stopped.Message.ShouldContain("the setup script failed (exit 1)");
        stopped.Message.ShouldNotContain("NOT-REACHED");
        Directory.EnumerateFileSystemEntries(Cache).Where(e => !e.EndsWith(".lock", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Packages_from_a_signed_repository_make_an_image_alone_or_over_a_rootfs()
    {
        var distribution = await TestDistribution.GetAsync();
        JobRepository[] repositories = [new("dist", distribution.Url, distribution.PublicKey)];
        var images = new PlaygroundImages(Cache, NullLogger.Instance);
        var progress = new RecordingProgress();

        var alone = await images.EnsureAsync(new PlaygroundImageDefinition(Repositories: repositories, Packages: [TestDistribution.BuildsysPackage, "fakecc"]), progress, CancellationToken.None);
        var rootfs = await PlaygroundTestImage.GetAsync();
        var over = await images.EnsureAsync(new PlaygroundImageDefinition(Rootfs: rootfs, Repositories: repositories, Packages: ["rich-left"]), null, CancellationToken.None);

        alone.Layers.ShouldBe([Path.Combine(Cache, alone.Digest, "layer")]);
        progress.Lines.ShouldContain("installing 2 packages");
        File.Exists(Path.Combine(alone.Layers[0], "usr/bin/fakecc")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(Cache, alone.Digest, "packages.txt")).ShouldContain("fakecc-1.0");
        File.ReadAllText(Path.Combine(alone.Layers[0], "etc/passwd")).ShouldContain($"learner:x:1000:1000::{SessionSandbox.Home}:/bin/bash");
        (await RunAsLearnerAsync(alone, "echo int main > in.c; fakecc in.c -o /tmp/out; cat /tmp/out", workDirectory: "/tmp")).ShouldContain("compiled by fakecc 1.0");

        over.Layers.ShouldBe([Path.Combine(Cache, over.Digest, "layer"), rootfs]);
        File.Exists(Path.Combine(over.Layers[0], "usr/share/rich-left/rich-left.txt")).ShouldBeTrue();
        Path.Exists(Path.Combine(rootfs, "usr/share/rich-left")).ShouldBeFalse("dnf installed into the image's layer, not the rootfs directory");
        (await RunAsLearnerAsync(over, "cat /usr/share/rich-left/rich-left.txt; id -un")).ShouldContain("rich-left 1.0\nlearner");
    }

    [Fact]
    public async Task Packages_come_over_http_too()
    {
        var distribution = await TestDistribution.GetAsync();
        await using var server = LoopbackWebApp.Create();
        server.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(distribution.RepositoryPath), ServeUnknownFileTypes = true });
        var url = await LoopbackWebApp.StartAsync(server);
        var images = new PlaygroundImages(Cache, NullLogger.Instance);

        var image = await images.EnsureAsync(
            new PlaygroundImageDefinition(Rootfs: await PlaygroundTestImage.GetAsync(), Repositories: [new("dist", url.ToString(), distribution.PublicKey)], Packages: ["br-one"]), null, CancellationToken.None);

        File.ReadAllText(Path.Combine(image.Layers[0], "usr/share/br-one/br-one.txt")).ShouldBe("br-one 1.0\n");
    }

    [Fact]
    public async Task An_unknown_package_fails_the_image_with_dnfs_reason_and_leaves_nothing()
    {
        var distribution = await TestDistribution.GetAsync();
        var images = new PlaygroundImages(Cache, NullLogger.Instance);

        var failure = await Should.ThrowAsync<PlaygroundImageException>(() => images.EnsureAsync(
            new PlaygroundImageDefinition(Repositories: [new("dist", distribution.Url, distribution.PublicKey)], Packages: ["nosuch-package"]), null, CancellationToken.None));

        failure.Message.ShouldContain("installing the packages failed");
        failure.Message.ShouldContain("No match for argument: nosuch-package");
        Directory.EnumerateFileSystemEntries(Cache).Where(e => !e.EndsWith(".lock", StringComparison.Ordinal)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Concurrent_ensures_of_one_definition_build_it_once_in_one_process_or_two()
    {
        var definition = new PlaygroundImageDefinition(Rootfs: await PlaygroundTestImage.GetAsync(), Setup: "echo built >> /build-count");
        var progress = new RecordingProgress();
        var one = new PlaygroundImages(Cache, NullLogger.Instance);
        // A second cache on the same directory stands for a second host process: only the lock file keeps them apart.
        var other = new PlaygroundImages(Cache, NullLogger.Instance);

        var images = await Task.WhenAll(
            Task.Run(() => one.EnsureAsync(definition, progress, CancellationToken.None)),
            Task.Run(() => one.EnsureAsync(definition, progress, CancellationToken.None)),
            Task.Run(() => other.EnsureAsync(definition, progress, CancellationToken.None)));

        images.Select(i => string.Join(':', i.Layers)).Distinct().Count().ShouldBe(1);
        File.ReadAllText(Path.Combine(images[0].Layers[0], "build-count")).ShouldBe("built\n");
        progress.Lines.Count(l => l == "running the setup script").ShouldBe(1);
    }

    [Fact]
    public async Task An_image_without_bash_gives_the_learner_sh_and_one_without_a_shell_is_refused()
    {
        var dashOnly = home["dash-only"];
        await HostTree.CopyAsync(dashOnly, ["dash", "coreutils"]);
        Directory.CreateDirectory(home["empty"]);
        var images = new PlaygroundImages(Cache, NullLogger.Instance);

        var image = await images.EnsureAsync(new PlaygroundImageDefinition(Rootfs: dashOnly), null, CancellationToken.None);
        var failure = await Should.ThrowAsync<PlaygroundImageException>(() => images.EnsureAsync(new PlaygroundImageDefinition(Rootfs: home["empty"]), null, CancellationToken.None));

        File.ReadAllText(Path.Combine(image.Layers[0], "etc/passwd")).ShouldBe("root:x:0:0:root:/root:/bin/sh\nlearner:x:1000:1000::/home/learner:/bin/sh\n");
        (await RunAsLearnerAsync(image, "id -un")).ShouldBe("learner\n");
        failure.Message.ShouldContain("adding the learner's account failed");
        failure.Message.ShouldContain("the image has no /bin/sh");
        Directory.EnumerateDirectories(Cache, ".partial-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_build_stopped_midway_leaves_nothing_behind()
    {
        var definition = new PlaygroundImageDefinition(Rootfs: await PlaygroundTestImage.GetAsync(), Setup: "echo started\nsleep 600");
        using var stop = new CancellationTokenSource();
        var progress = new SignallingProgress("started", stop);
        var images = new PlaygroundImages(Cache, NullLogger.Instance);

        await Should.ThrowAsync<OperationCanceledException>(() => images.EnsureAsync(definition, progress, stop.Token).WaitAsync(TimeSpan.FromMinutes(1)));

        Directory.EnumerateDirectories(Cache).ShouldBeEmpty("the stopped build's partial directory is removed, and no image is cached");
    }

    [Fact]
    public void What_a_crashed_build_left_is_removed_when_the_cache_is_opened()
    {
        var partial = Path.Combine(Cache, $".partial-{new string('a', 64)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(partial, "layer/usr/bin"));
        File.WriteAllText(Path.Combine(partial, "layer/usr/bin/half-written"), "");

        _ = new PlaygroundImages(Cache, NullLogger.Instance);

        Directory.Exists(partial).ShouldBeFalse();
    }

    /// <summary>Runs <paramref name="script"/> as the learner in <paramref name="image"/>, mounted read-only as a session mounts it; returns stdout and stderr.</summary>
    private async Task<string> RunAsLearnerAsync(PlaygroundImage image, string script, string workDirectory = "/")
    {
        var mountPoint = home[$"mnt-{Guid.NewGuid():N}"];
        Directory.CreateDirectory(mountPoint);
        // overlayfs needs two lower layers for a read-only mount; one layer alone is bound as it is.
        var root = image.Layers.Count == 1 ? image.Layers[0] : mountPoint;
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("unshare",
        [
            "--mount", "--propagation", "private", "--", "/bin/sh", "-c", "set -e; if [ \"$1\" != - ]; then mount -t overlay test -o \"lowerdir=$1\" \"$2\"; fi; shift 2; exec \"$@\"", "mount",
            image.Layers.Count == 1 ? "-" : string.Join(':', image.Layers), mountPoint,
            "setpriv", "--reuid", "1000", "--regid", "1000", "--clear-groups", "--",
            "bwrap", "--unshare-all", "--die-with-parent", "--uid", "1000", "--gid", "1000", "--ro-bind", root, "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--chdir", workDirectory, "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "TERM", "xterm-256color", "--setenv", "HOME", SessionSandbox.Home,
            "--", "/bin/sh", "-c", script,
        ], timeout: TimeSpan.FromMinutes(1));
        code.ShouldBe(0, $"the script failed in the image: {stdout}{stderr}");
        return stdout + stderr;
    }

    /// <summary>Stops the build when its output shows <c>line</c>.</summary>
    private sealed class SignallingProgress(string line, CancellationTokenSource stop) : IProgress<string>
    {
        public void Report(string value)
        {
            if (value == line)
            {
                stop.Cancel();
            }
        }
    }

    private sealed class RecordingProgress : IProgress<string>
    {
        private readonly ConcurrentQueue<string> lines = new();

        public IReadOnlyList<string> Lines => [.. lines];

        public void Report(string value) => lines.Enqueue(value);
    }
}
