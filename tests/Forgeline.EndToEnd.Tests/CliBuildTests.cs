using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>A packager's first hour, through the CLI as typed, against a real server and worker building with rpmbuild.</summary>
public sealed class CliBuildTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ForgelineServer Server => fixture.Server;

    [Fact]
    public async Task A_directory_builds_with_a_live_log_and_its_rpms_download_verified()
    {
        var dir = TestPackages.WriteSpecDirectory(Server.Home["in"], "greet", buildScript: "echo compiling-greet");
        var (code, stdout, stderr) = await Server.CliAsync("build", dir, "--follow");

        code.ShouldBe(0, stderr + stdout);
        stdout.ShouldContain("compiling-greet");
        stdout.ShouldContain("Wrote:");
        stdout.ShouldContain("succeeded");
        stdout.ShouldContain("greet-1.0-1.noarch.rpm");

        var id = (await LatestAsync()).Id;
        var target = Server.Home[$"download-{id}"];
        var download = await Server.CliAsync("builds", "download", id.ToString(), "--dir", target);
        download.ExitCode.ShouldBe(0, download.Stderr);
        var rpm = Path.Combine(target, "greet-1.0-1.noarch.rpm");
        File.Exists(Path.Combine(target, "greet-1.0-1.src.rpm")).ShouldBeTrue();
        download.Stdout.ShouldContain(await Sha256Hex.OfFileAsync(rpm));
        (await ProcessRunner.RunCheckedAsync("rpm", "-qp", "--qf", "%{NAME}-%{VERSION}", rpm)).ShouldBe("greet-1.0");
        (await File.ReadAllTextAsync(Path.Combine(target, "build.log"))).ShouldContain("compiling-greet");
    }

    [Fact]
    public async Task An_srpm_submit_prints_the_id_and_builds_list_show_and_log_work()
    {
        var srpm = await TestPackages.MakeSrpmAsync(Server.Home["srpms"], "plain", "2.3");
        var submit = await Server.CliAsync("build", srpm);
        submit.ExitCode.ShouldBe(0, submit.Stderr);
        var id = long.Parse(submit.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var build = await Server.WaitForFinalAsync(id);
        build.State.ShouldBe("succeeded", build.Reason);
        build.Package.ShouldBe("plain-2.3-1");

        var show = await Server.CliAsync("builds", "show", id.ToString(), "--json");
        JsonSerializer.Deserialize<BuildDto>(show.Stdout, ForgelineJson.Options)!.Artifacts.Select(a => a.Name)
            .ShouldBe(["plain-2.3-1.noarch.rpm", "plain-2.3-1.src.rpm", "build.log"], ignoreOrder: true);
        var list = await Server.CliAsync("builds", "list", "--json", "--state", "succeeded");
        JsonSerializer.Deserialize<List<BuildDto>>(list.Stdout, ForgelineJson.Options)!.ShouldContain(b => b.Id == id);
        var table = await Server.CliAsync("builds", "list");
        table.Stdout.ShouldContain("plain-2.3-1");
        var log = await Server.CliAsync("builds", "log", id.ToString());
        log.Stdout.ShouldContain("Wrote:");
    }

    [Fact]
    public async Task A_git_repository_builds_at_the_requested_tag()
    {
        var repo = TestPackages.WriteSpecDirectory(Server.Home["git"], "fromgit", version: "1.0");
        await Git(repo, "init", "-q", "-b", "main");
        await Git(repo, "add", ".");
        await Git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1");
        await Git(repo, "tag", "v1.0");
        TestPackages.WriteSpecDirectory(Server.Home["git"], "fromgit", version: "2.0");
        await Git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "v2");

        await using var daemon = await GitDaemon.StartAsync(Server.Home["git"]);
        var (code, stdout, stderr) = await Server.CliAsync("build", $"{daemon.Url}/fromgit", "--ref", "v1.0", "--follow");

        code.ShouldBe(0, stdout + stderr);
        stdout.ShouldContain("commit ");
        stdout.ShouldContain("fromgit-1.0-1.noarch.rpm");
        stdout.ShouldNotContain("fromgit-2.0");
    }

    [Fact]
    public async Task A_failing_spec_ends_failed_with_a_reason_and_the_farm_keeps_working()
    {
        var dir = TestPackages.WriteSpecDirectory(Server.Home["in"], "broken", buildScript: "echo about-to-fail; exit 3");
        var (code, stdout, _) = await Server.CliAsync("build", dir, "--follow");
        code.ShouldBe(1);
        stdout.ShouldContain("about-to-fail");
        var failed = await LatestAsync();
        failed.State.ShouldBe("failed");
        failed.Reason!.ShouldContain("rpmbuild failed with exit code 1");

        var ok = TestPackages.WriteSpecDirectory(Server.Home["in"], "afterwards");
        (await Server.CliAsync("build", ok, "--follow")).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task A_running_build_can_be_canceled_from_the_cli()
    {
        // A sleep no other command line has, so pgrep finds exactly the build's process.
        var seconds = "600." + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var dir = TestPackages.WriteSpecDirectory(Server.Home["in"], "slow", buildScript: $"echo slow-started; sleep {seconds}");
        var id = await Server.SubmitAsync(dir);
        await Server.WaitForLogAsync(id, "slow-started");
        (await ProcessRunner.RunAsync("pgrep", ["-f", $"sleep {seconds}"])).ExitCode.ShouldBe(0, "the build's sleep is running");

        var cancel = await Server.CliAsync("builds", "cancel", id.ToString());
        cancel.ExitCode.ShouldBe(0, cancel.Stderr);
        var build = await Server.WaitForFinalAsync(id, TimeSpan.FromSeconds(30));
        build.State.ShouldBe("canceled");
        build.Reason.ShouldBe("canceled by admin");

        // The next heartbeat brings the cancel and the worker kills the sandbox; the sleep does not live on.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await ProcessRunner.RunAsync("pgrep", ["-f", $"sleep {seconds}"])).ExitCode == 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the canceled build's process is still running");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Errors_are_clear_one_liners_with_a_non_zero_exit()
    {
        var unknown = await Server.CliAsync("builds", "show", "987654");
        unknown.ExitCode.ShouldBe(1);
        unknown.Stderr.ShouldContain("there is no build 987654");

        var missing = await Server.CliAsync("build", Server.Home["no-such-dir"]);
        missing.ExitCode.ShouldBe(2);
        missing.Stderr.ShouldContain("is not a directory, a file or a git URL");

        var noToken = await Server.CliAsync(["build", TestPackages.WriteSpecDirectory(Server.Home["in"], "anon")], token: null);
        noToken.ExitCode.ShouldBe(1);
        noToken.Stderr.ShouldContain("Authentication required");

        var badToken = await Server.CliAsync(["builds", "cancel", "1"], token: "flt_not-a-real-token");
        badToken.Stderr.ShouldContain("unknown or revoked");
    }

    private async Task<BuildDto> LatestAsync()
    {
        using var client = Server.Client();
        return (await client.ListBuildsAsync(limit: 1)).Items[0];
    }

    private static Task Git(string dir, params string[] args) => ProcessRunner.RunCheckedAsync("git", ["-C", dir, .. args]);
}
