using Forgeline.Core.Builds;
using Forgeline.Testing;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests;

/// <summary>
/// A job run by <see cref="BuildRunner"/> with the real sandbox and rpmbuild: macros reach rpmbuild, and a failure is
/// the package's (<see cref="JobFailedException"/>) or not (<see cref="JobErrorException"/>, retried by the server).
/// </summary>
public sealed class BuildRunnerTests : IDisposable
{
    private readonly TempDirectory home = new("forgeline-runner");
    private readonly LocalJobTransfer transfer = new();
    private readonly CollectingBuildLog log = new();

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task Macros_of_the_lease_are_defined_for_rpmbuild_and_the_results_are_uploaded()
    {
        var name = Unique("macros");
        var marker = Sandboxed.UniqueMarker();
        var srpm = await TestPackages.MakeSrpmAsync(home["in"], name, buildScript: "echo \"macro says %{fl_marker} and %{?fl_other}\"");
        var lease = await transfer.SrpmLeaseAsync(srpm, new Dictionary<string, string> { ["fl_marker"] = marker, ["fl_other"] = "two words" });

        var package = await Runner(lease).RunAsync(CancellationToken.None).WaitAsync(Sandboxed.Patience);

        package.ShouldBe($"{name}-1.0-1");
        log.Text.ShouldContain($"macro says {marker} and two words\n");
        transfer.Uploads.ShouldBe([("rpm", $"{name}-1.0-1.noarch.rpm"), ("srpm", $"{name}-1.0-1.src.rpm")]);
    }

    [Theory]
    [InlineData("9lives", "is not valid")]
    [InlineData("has-dash", "is not valid")]
    [InlineData("_topdir", "is set by the worker")]
    public async Task A_bad_macro_name_fails_the_job_before_anything_is_fetched(string macro, string message)
    {
        transfer.DownloadFailure = new InvalidOperationException("nothing may be downloaded");
        var lease = LocalJobTransfer.Lease(new BuildSource(SourceKind.Srpm, Blob: new string('a', 64)), new Dictionary<string, string> { [macro] = "x" });

        var failure = await Should.ThrowAsync<JobFailedException>(() => Runner(lease).RunAsync(CancellationToken.None));

        failure.Message.ShouldContain(macro);
        failure.Message.ShouldContain(message);
    }

    [Fact]
    public async Task A_spec_that_does_not_build_is_the_packages_failure()
    {
        var srpm = await TestPackages.MakeSrpmAsync(home["in"], Unique("broken"), buildScript: "echo about-to-fail; exit 3");

        var failure = await Should.ThrowAsync<JobFailedException>(async () => await Runner(await transfer.SrpmLeaseAsync(srpm)).RunAsync(CancellationToken.None));

        failure.Message.ShouldContain("rpmbuild failed with exit code 1");
        log.Text.ShouldContain("about-to-fail");
    }

    [Fact]
    public async Task Sources_that_cannot_be_downloaded_are_an_error_not_a_failure()
    {
        var srpm = await TestPackages.MakeSrpmAsync(home["in"], Unique("offline"));
        var lease = await transfer.SrpmLeaseAsync(srpm);
        transfer.DownloadFailure = new HttpRequestException("Connection refused (127.0.0.1:9)");

        var error = await Should.ThrowAsync<JobErrorException>(() => Runner(lease).RunAsync(CancellationToken.None));

        error.Message.ShouldBe("could not download the sources from the server: Connection refused (127.0.0.1:9)");
    }

    [Fact]
    public async Task A_sandbox_that_cannot_start_is_an_error_not_a_failure()
    {
        var srpm = await TestPackages.MakeSrpmAsync(home["in"], Unique("nobwrap"));
        var lease = await transfer.SrpmLeaseAsync(srpm);

        var error = await Should.ThrowAsync<JobErrorException>(() => Runner(lease, new BubblewrapSandbox(home["no-such-bwrap"])).RunAsync(CancellationToken.None));

        error.Message.ShouldStartWith("the sandbox could not start for rpmbuild: could not run ");
    }

    [Fact]
    public async Task A_git_clone_that_cannot_connect_is_an_error_and_a_refused_url_a_failure()
    {
        // A port nothing listens on: the connection is refused, as when the forge is down.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var down = LocalJobTransfer.Lease(new BuildSource(SourceKind.Git, Url: $"git://127.0.0.1:{port}/pkg.git"));

        var error = await Should.ThrowAsync<JobErrorException>(() => Runner(down).RunAsync(CancellationToken.None).WaitAsync(Sandboxed.Patience));

        error.Message.ShouldStartWith("git clone failed: network failure (");
        error.Message.ShouldContain("Connection refused");

        // file:// is refused by the worker's git settings: the user's URL is wrong, retrying would not help.
        var refused = LocalJobTransfer.Lease(new BuildSource(SourceKind.Git, Url: $"file://{home.Path}/pkg.git"));
        var failure = await Should.ThrowAsync<JobFailedException>(() => Runner(refused, workDirectory: home["work-2"]).RunAsync(CancellationToken.None).WaitAsync(Sandboxed.Patience));
        failure.Message.ShouldContain("git clone failed with exit code 128");
    }

    private BuildRunner Runner(Core.Workers.JobLease lease, BubblewrapSandbox? sandbox = null, string? workDirectory = null, CompilerCache? cache = null) =>
        new(transfer, sandbox ?? new BubblewrapSandbox(), lease, log, workDirectory ?? home["work"], cache);

    private static string Unique(string prefix) => $"fl-{prefix}-{Guid.NewGuid():N}"[..20];
}
