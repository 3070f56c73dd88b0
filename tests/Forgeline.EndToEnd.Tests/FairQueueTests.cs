using System.Diagnostics;
using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Tokens;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>The fair queue, the build cache, worker admin and cancellation through the CLI against a real server and workers.</summary>
public sealed class FairQueueTests
{
    [Fact]
    public async Task A_users_build_overtakes_a_queued_mass_rebuild_and_the_queue_shows_it()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        using var admin = server.Client();
        await admin.CreateGroupAsync(new Core.Accounts.CreateGroupRequest("mass"));
        var mass = (await admin.CreateTokenAsync(new CreateTokenRequest("rebuild-bot", ["build"], Owner: "mass"))).Token;
        var alice = (await admin.CreateTokenAsync(new CreateTokenRequest("alice", ["build"]))).Token;
        await server.StartWorkerAsync("only");

        var dir = TestPackages.WriteSpecDirectory(server.Home["in"], "massive", buildScript: "echo mass; sleep 6");
        var massIds = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            massIds.Add(await SubmitAsync(server, mass, dir, "--no-cache", "--priority", "low"));
        }

        await server.WaitForLogAsync(massIds[0], "mass");
        var mine = await SubmitAsync(server, alice, TestPackages.WriteSpecDirectory(server.Home["in"], "urgent"));
        // When the CLI returned, the build was queued; a lease already being granted at that moment may still go to mass.
        var queuedBy = DateTimeOffset.UtcNow;

        using var client = server.Client();
        var queue = await client.GetQueueAsync();
        if ((await client.GetBuildAsync(mine)).State == "queued" && (await client.GetBuildAsync(massIds[0])).State == "running")
        {
            // Usually so; on a slow machine the first mass build may end before this look, and alice's starts at once.
            queue.Items[0].Id.ShouldBe(mine, "alice has nothing running; the mass rebuild has a build running");
            queue.Owners.Single(o => o.Owner == "mass").ShouldBe(new QueueOwnerDto("mass", 1, 1, 3, 2));
        }

        var shown = await server.CliAsync("queue");
        shown.ExitCode.ShouldBe(0, shown.Stderr);
        shown.Stdout.ShouldContain("mass");
        if ((await client.GetBuildAsync(mine)).State == "queued")
        {
            // Still queued after the CLI answered, so it was queued while the CLI looked (on a slow machine it may
            // already run: the queue lists waiting builds only).
            shown.Stdout.ShouldContain("alice");
        }

        var done = await server.WaitForFinalAsync(mine);
        done.State.ShouldBe("succeeded", done.Reason);
        done.Owner.ShouldBe("alice");
        // Once alice's build was queued, the next build to start was hers (on a loaded machine a mass build may have
        // started before she submitted; none may start between her submission and her build's start).
        var others = await Task.WhenAll(massIds.Select(id => client.GetBuildAsync(id)));
        others.ShouldAllBe(b => b.StartedAt == null || b.StartedAt < queuedBy || b.StartedAt > done.StartedAt, "no mass build started while alice's waited");

        // Only the owner (any of its tokens) or an admin may cancel.
        var refused = await server.CliAsync(["builds", "cancel", massIds[3].ToString()], alice);
        refused.ExitCode.ShouldNotBe(0);
        refused.Stderr.ShouldContain("belongs to mass");
        (await client.GetBuildAsync(massIds[3])).State.ShouldNotBe("canceled");
        foreach (var id in massIds.Skip(1))
        {
            if (!(await client.GetBuildAsync(id)).StateValue.IsFinal())
            {
                (await server.CliAsync(["builds", "cancel", id.ToString()], mass)).ExitCode.ShouldBe(0);
            }
        }
    }

    [Fact]
    public async Task An_unchanged_package_is_served_from_the_build_cache_at_once_and_no_cache_rebuilds_it()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: true);
        var dir = TestPackages.WriteSpecDirectory(server.Home["in"], "cachable", buildScript: "echo compiling; sleep 1");
        var first = await server.CliAsync("build", dir, "--follow");
        first.ExitCode.ShouldBe(0, first.Stderr);
        using var client = server.Client();
        var built = (await client.ListBuildsAsync()).Items.Single();

        var clock = Stopwatch.StartNew();
        var again = await server.CliAsync("build", dir, "--follow");
        clock.Stop();
        again.ExitCode.ShouldBe(0, again.Stderr);
        again.Stderr.ShouldContain($"cached from build {built.Id}");
        var cached = (await client.ListBuildsAsync()).Items[0];
        cached.CachedFrom.ShouldBe(built.Id);
        cached.State.ShouldBe("succeeded");
        cached.Artifacts.Where(a => a.Kind == "rpm").Select(a => a.Sha256).ShouldBe(built.Artifacts.Where(a => a.Kind == "rpm").Select(a => a.Sha256));
        (await server.CliAsync("builds", "show", cached.Id.ToString())).Stdout.ShouldContain($"from build {built.Id}");

        var rebuilt = await server.CliAsync("build", dir, "--no-cache", "--follow");
        rebuilt.ExitCode.ShouldBe(0, rebuilt.Stderr);
        rebuilt.Stdout.ShouldContain("compiling");
        var fresh = (await client.ListBuildsAsync()).Items[0];
        fresh.CachedFrom.ShouldBeNull();
        fresh.Attempt.ShouldBe(1);

        File.AppendAllText(Path.Combine(dir, "cachable.txt"), "a change\n");
        var changed = await server.CliAsync("build", dir, "--follow");
        changed.Stderr.ShouldNotContain("cached from");
        changed.Stdout.ShouldContain("compiling");
    }

    [Fact]
    public async Task A_drained_worker_takes_no_new_build_until_enabled_and_only_admins_may_drain()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        await server.StartWorkerAsync("w1");
        using var client = server.Client();
        while ((await client.ListWorkersAsync()).Count == 0)
        {
            await Task.Delay(100); // the worker registers with its first lease request
        }

        var drain = await server.CliAsync("workers", "drain", "w1");
        drain.Stdout.ShouldContain("w1: drained", customMessage: drain.Stderr);

        var id = await server.SubmitAsync(TestPackages.WriteSpecDirectory(server.Home["in"], "patient"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await client.GetBuildAsync(id)).State.ShouldBe("queued");
        var listed = await server.CliAsync("workers");
        listed.Stdout.ShouldContain("drained");

        using var admin = server.Client();
        var builder = (await admin.CreateTokenAsync(new CreateTokenRequest("builder", ["build"]))).Token;
        var refused = await server.CliAsync(["workers", "enable", "w1"], builder);
        refused.ExitCode.ShouldNotBe(0);

        (await server.CliAsync("workers", "enable", "w1")).ExitCode.ShouldBe(0);
        (await server.WaitForFinalAsync(id)).State.ShouldBe("succeeded");
        var workers = JsonSerializer.Deserialize<List<Core.Workers.WorkerDto>>((await server.CliAsync("workers", "--json")).Stdout, ForgelineJson.Options)!;
        workers.Single().RecentBuilds!.Select(b => b.Id).ShouldBe([id]);
    }

    [Fact]
    public async Task A_cancel_reaches_a_running_build_within_seconds()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: true);
        var id = await server.SubmitAsync(TestPackages.WriteSpecDirectory(server.Home["in"], "endless", buildScript: "echo forever; sleep 600"));
        await server.WaitForLogAsync(id, "forever");

        var clock = Stopwatch.StartNew();
        (await server.CliAsync("builds", "cancel", id.ToString())).ExitCode.ShouldBe(0);
        var build = await server.WaitForFinalAsync(id, TimeSpan.FromSeconds(30));
        clock.Stop();

        build.State.ShouldBe("canceled");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(6), "the worker learns at its next heartbeat and kills the build");
        using var client = server.Client();
        (await client.GetBuildHistoryAsync(id)).Select(e => e.Kind).ShouldBe(["queued", "started", "finished"]);
    }

    [Fact]
    public async Task Bad_queue_options_get_a_clear_error_and_submit_nothing()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        var dir = TestPackages.WriteSpecDirectory(server.Home["in"], "picky");
        var cases = new (string[] Args, string Expected)[]
        {
            (["build", dir, "--priority", "urgent"], "--priority must be high, normal or low"),
            (["build", dir, "--define", "nospace"], "--define takes 'NAME VALUE'"),
            (["build", dir, "--define", "1x value"], "is not a macro name"),
            (["build", dir, "--label", "a b"], "label 'a b' is not valid"),
            (["queue", "weight", "alice", "0"], "weight must be between 1 and 1000"),
            (["queue", "weight", "a b", "2"], "owner names are"),
            (["token", "create", "grouped", "--scope", "build", "--owner", "a b"], "owner must be"),
            (["workers", "drain", "nobody"], "there is no worker 'nobody'"),
        };
        foreach (var (args, expected) in cases)
        {
            var (code, _, stderr) = await server.CliAsync(args);
            code.ShouldNotBe(0, string.Join(' ', args));
            stderr.ShouldContain(expected, Case.Sensitive, string.Join(' ', args));
        }

        using var client = server.Client();
        (await client.ListBuildsAsync()).Items.ShouldBeEmpty();
        using var http = new HttpClient { BaseAddress = server.Url };
        http.DefaultRequestHeaders.Authorization = new("Bearer", server.AdminToken);
        var response = await http.PostAsync("api/v1/builds", new StringContent("""{"source":{"kind":"Git","url":"https://example.org/x.git"},"priority":"urgent"}""", System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    private static async Task<long> SubmitAsync(ForgelineServer server, string token, string dir, params string[] options)
    {
        var (code, stdout, stderr) = await server.CliAsync(["build", dir, .. options], token);
        code.ShouldBe(0, stderr);
        return long.Parse(stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
