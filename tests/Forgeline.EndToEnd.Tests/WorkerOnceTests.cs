using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>A server without a worker of its own, for the tests of <c>forgeline worker</c> run by hand.</summary>
public sealed class WorkerlessServerFixture : IAsyncLifetime
{
    /// <summary>The server.</summary>
    public ForgelineServer Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await ForgelineServer.StartAsync(embeddedWorker: false);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary><c>forgeline worker --once</c>, as a Kubernetes Job pod runs it, and the worker's flags as typed.</summary>
public sealed class WorkerOnceTests(WorkerlessServerFixture fixture) : IClassFixture<WorkerlessServerFixture>
{
    private ForgelineServer Server => fixture.Server;

    [Fact]
    public async Task A_token_from_a_file_stays_out_of_ps_and_one_on_the_command_line_gets_a_warning()
    {
        var token = await Server.CreateWorkerTokenAsync("secret-token");
        var file = Server.Home["secret-token.txt"];
        await File.WriteAllTextAsync(file, token + "\n");

        var worker = ForgelineProcess.Start(
            ["worker", "--server", Server.Url.ToString(), "--token-file", file, "--name", "from-file", "--slots", "3", "--work-dir", Server.Home["work-from-file"]], new Dictionary<string, string?>(Server.Environment));
        await using (worker)
        {
            await worker.WaitForOutputAsync("asking", TimeSpan.FromSeconds(60));
            var commandLine = (await File.ReadAllTextAsync($"/proc/{worker.Id}/cmdline")).Replace('\0', ' ');
            commandLine.ShouldContain("--token-file");
            commandLine.ShouldNotContain(token);
            worker.Output.ShouldNotContain("warning: --token");
        }

        var (code, _, stderr) = await Server.CliAsync(["worker", "--once", "--wait", "1", "--server", Server.Url.ToString(), "--token", token, "--work-dir", Server.Home["work-flag"]], null);
        code.ShouldBe(0, stderr);
        stderr.ShouldContain("warning: --token shows the token to every user of this machine (ps, /proc); use --token-file PATH or FORGELINE_TOKEN");

        var missing = await Server.CliAsync(["worker", "--once", "--server", Server.Url.ToString(), "--token-file", Server.Home["nope.txt"]], null);
        missing.ExitCode.ShouldBe(2);
        missing.Stderr.ShouldContain("--token-file " + Server.Home["nope.txt"] + ": no such file");
    }

    [Fact]
    public async Task A_worker_killed_mid_build_leaves_its_work_directory_and_the_restarted_worker_removes_it()
    {
        var workDir = Server.Home["work-killed"];
        var id = await Server.SubmitAsync(TestPackages.WriteSpecDirectory(Server.Home["in-killed"], "killed", buildScript: "echo started-long; sleep 60"));
        var token = await Server.CreateWorkerTokenAsync("killed");
        var tokenFile = Server.Home["killed.token"];
        await File.WriteAllTextAsync(tokenFile, token);
        string[] args = ["worker", "--server", Server.Url.ToString(), "--token-file", tokenFile, "--name", "killed-1", "--work-dir", workDir];

        var first = ForgelineProcess.Start(args, new Dictionary<string, string?>(Server.Environment));
        await using (first)
        {
            await Server.WaitForLogAsync(id, "started-long");
            await first.KillAsync();
        }

        var left = Directory.GetDirectories(workDir, "build-*");
        left.ShouldHaveSingleItem($"the killed worker's attempt directory: {string.Join(", ", Directory.GetFileSystemEntries(workDir))}");

        // Another worker on the same machine and directory (the build itself stays leased to the dead one until its
        // lease lapses; it is canceled here so that it does not wander into the other tests).
        (await Server.CliAsync("builds", "cancel", id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode.ShouldBe(0);
        var (code, stdout, stderr) = await Server.CliAsync(["worker", "--server", Server.Url.ToString(), "--token-file", tokenFile, "--name", "killed-2", "--work-dir", workDir, "--once", "--wait", "1"], null);

        code.ShouldBe(0, stderr + stdout);
        stdout.ShouldContain("Removed 1 work directories an earlier worker process left in");
        Directory.Exists(left[0]).ShouldBeFalse();
    }

    [Fact]
    public async Task Once_leases_the_queued_build_runs_it_reports_it_and_exits_0()
    {
        var id = await Server.SubmitAsync(TestPackages.WriteSpecDirectory(Server.Home["in"], "oneshot", buildScript: "echo one-shot-build"));
        var token = await Server.CreateWorkerTokenAsync("once");

        var (code, stdout, stderr) = await Server.CliAsync(
            ["worker", "--once", "--wait", "30", "--name", "once-1", "--label", "big", "--label", "kvm", "--work-dir", Server.Home["work-once"]], token);

        code.ShouldBe(0, stderr + stdout);
        stdout.ShouldContain("Build environment ");
        stdout.ShouldContain("labels: big, kvm");
        var build = await Server.WaitForFinalAsync(id);
        build.State.ShouldBe("succeeded", build.Reason);
        build.Worker.ShouldBe("once-1");
        var log = (await Server.CliAsync("builds", "log", id.ToString())).Stdout;
        log.ShouldContain("one-shot-build");
        log.ShouldMatch(@"worker once-1 \(x86_64, environment [a-z0-9.-]+-[0-9a-f]{12}\)");
        // The build's work directory is gone; the compiler cache (if ccache is installed) stays for the next build.
        Directory.EnumerateDirectories(Server.Home["work-once"], "build-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task Once_with_no_job_waits_and_exits_0()
    {
        var token = await Server.CreateWorkerTokenAsync("idle");
        var cache = Server.Home["cache-idle"];

        var (code, stdout, stderr) = await Server.CliAsync(
            ["worker", "--once", "--wait", "2", "--name", "once-idle", "--work-dir", Server.Home["work-idle"], "--no-ccache", "--ccache-dir", cache], token);

        code.ShouldBe(0, stderr + stdout);
        stderr.ShouldContain("no job came within 2s");
        stdout.ShouldContain("ccache off (--no-ccache)");
        Directory.Exists(cache).ShouldBeFalse();
    }

    [Fact]
    public async Task Sigterm_during_a_once_build_hands_the_build_back_and_exits_0()
    {
        var id = await Server.SubmitAsync(TestPackages.WriteSpecDirectory(Server.Home["in"], "interrupted", buildScript: "echo interrupted-started; sleep 600"));
        var token = await Server.CreateWorkerTokenAsync("term");
        await using var worker = ForgelineProcess.Start(
            ["worker", "--once", "--wait", "30", "--name", "once-term", "--work-dir", Server.Home["work-term"], "--server", Server.Url.ToString(), "--token", token],
            Server.Environment.ToDictionary());
        await Server.WaitForLogAsync(id, "interrupted-started");

        (await worker.StopAsync()).ShouldBe(0, worker.Output);

        worker.Output.ShouldContain($"Build {id} handed back to the queue at shutdown");
        using var client = Server.Client();
        var build = await client.GetBuildAsync(id);
        build.State.ShouldBe("queued", build.Reason);
        await client.CancelBuildAsync(id); // leave nothing queued for the other tests of this server
    }

    [Fact]
    public async Task Once_against_a_server_that_is_not_there_exits_1_with_the_reason()
    {
        var (code, _, stderr) = await Server.CliAsync(["worker", "--once", "--wait", "2", "--server", "http://127.0.0.1:9/", "--work-dir", Server.Home["work-nowhere"]], "flt_unused");

        code.ShouldBe(1, stderr);
        stderr.ShouldContain("the server could not be reached within 2s");
    }

    [Fact]
    public async Task Bad_labels_and_environment_names_are_refused_at_start_with_exit_2()
    {
        var (code, _, stderr) = await Server.CliAsync(["worker", "--once", "--label", "kvm", "--label", "Big Iron", "--environment", "../x"], "flt_unused");

        code.ShouldBe(2);
        stderr.ShouldContain("forgeline: label 'Big Iron' is not valid: use 1-63 lower-case letters, digits, '-', '_' or '.' (--label, Forgeline:Worker:Labels)");
        stderr.ShouldContain("forgeline: environment '../x' is not valid");
    }
}
