using Forgeline.Core.Builds;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>kill -9 of workers and of the server: no submitted build is lost, none completes twice.</summary>
public sealed class ResilienceTests
{
    private static readonly Dictionary<string, string?> ShortLeases = new()
    {
        ["Forgeline__Builds__LeaseSeconds"] = "3",
        ["Forgeline__Builds__ReapIntervalSeconds"] = "1",
    };

    [Fact]
    public async Task A_killed_workers_build_is_picked_up_by_another_worker()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, ShortLeases);
        var doomed = await server.StartWorkerAsync("doomed");
        var dir = TestPackages.WriteSpecDirectory(server.Home["in"], "survivor", buildScript: "echo phase-one; sleep 6; echo phase-two");
        var id = await server.SubmitAsync(dir);
        await WaitForAsync(server, id, b => b.State == "running" && b.Worker == "doomed");
        await server.WaitForLogAsync(id, "phase-one");

        await doomed.KillAsync();
        await server.StartWorkerAsync("rescuer");
        var build = await server.WaitForFinalAsync(id, TimeSpan.FromMinutes(2));

        build.State.ShouldBe("succeeded", build.Reason);
        build.Worker.ShouldBe("rescuer");
        build.Attempt.ShouldBe(2);
        build.Artifacts.Count(a => a.Kind == "rpm").ShouldBe(1);
        var log = (await server.CliAsync("builds", "log", id.ToString())).Stdout;
        log.ShouldContain("phase-two");
        log.ShouldContain("attempt 2");
    }

    [Fact]
    public async Task A_worker_restarted_after_kill_9_takes_its_build_up_again_without_waiting_for_the_lease()
    {
        // A ten-minute lease: the build can only finish within the test's patience if the restart is recognised.
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?> { ["Forgeline__Builds__LeaseSeconds"] = "600" });
        var first = await server.StartWorkerAsync("phoenix");
        var dir = TestPackages.WriteSpecDirectory(server.Home["in"], "reborn", buildScript: "echo first-try; sleep 3");
        var id = await server.SubmitAsync(dir);
        await server.WaitForLogAsync(id, "first-try");

        await first.KillAsync();
        await server.StartWorkerAsync("phoenix");
        var build = await server.WaitForFinalAsync(id, TimeSpan.FromSeconds(90));

        build.State.ShouldBe("succeeded", build.Reason);
        build.Attempt.ShouldBe(2);
    }

    [Fact]
    public async Task Builds_queued_before_a_server_kill_are_built_after_the_restart()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, ShortLeases);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var srpm = await TestPackages.MakeSrpmAsync(server.Home["srpms"], $"persist{i}");
            ids.Add(await server.SubmitAsync(srpm));
        }

        await server.Process.KillAsync();
        await server.StartProcessAsync();
        using (var client = server.Client())
        {
            foreach (var id in ids)
            {
                (await client.GetBuildAsync(id)).State.ShouldBe("queued");
            }
        }

        await server.StartWorkerAsync("after-restart");
        foreach (var id in ids)
        {
            (await server.WaitForFinalAsync(id)).State.ShouldBe("succeeded");
        }
    }

    [Fact]
    public async Task A_build_running_while_the_server_is_killed_still_ends_exactly_once()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, ShortLeases);
        await server.StartWorkerAsync("steady");
        var dir = TestPackages.WriteSpecDirectory(server.Home["in"], "through", buildScript: "echo started; sleep 4; echo finished");
        var id = await server.SubmitAsync(dir);
        await server.WaitForLogAsync(id, "started");

        await server.Process.KillAsync();
        await server.StartProcessAsync();
        var build = await server.WaitForFinalAsync(id, TimeSpan.FromMinutes(2));

        build.State.ShouldBe("succeeded", build.Reason);
        build.Artifacts.Count(a => a.Kind == "rpm").ShouldBe(1);
        using var client = server.Client();
        (await client.ListBuildsAsync()).Items.Count(b => b.Id == id).ShouldBe(1);
    }

    [Fact]
    public async Task A_server_down_for_longer_than_the_lease_does_not_cost_its_running_build_an_attempt()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, ShortLeases);
        await server.StartWorkerAsync("alive");
        var dir = TestPackages.WriteSpecDirectory(server.Home["in"], "outlasting", buildScript: "echo started; sleep 8; echo finished");
        var id = await server.SubmitAsync(dir);
        await server.WaitForLogAsync(id, "started");

        // Down for twice the 3 s lease: the lease has lapsed when the server comes back, but its worker is alive.
        await server.Process.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(6));
        await server.StartProcessAsync();
        var build = await server.WaitForFinalAsync(id, TimeSpan.FromMinutes(2));

        build.State.ShouldBe("succeeded", build.Reason);
        build.Attempt.ShouldBe(1, "the worker renewed its lease once the server was back; it was never lost");
        build.Worker.ShouldBe("alive");
    }

    [Fact]
    public async Task Sigterm_hands_the_running_build_back_and_it_finishes_after_the_restart()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: true);
        var dir = TestPackages.WriteSpecDirectory(server.Home["in"], "handback", buildScript: "echo begun; sleep 600");
        var id = await server.SubmitAsync(dir);
        await server.WaitForLogAsync(id, "begun");

        (await server.Process.StopAsync(TimeSpan.FromSeconds(30))).ShouldBe(0);
        server.Process.Output.ShouldContain("handed back to the queue");

        await server.StartProcessAsync();
        using var client = server.Client();
        var build = await client.GetBuildAsync(id);
        build.State.ShouldBeOneOf("queued", "running");
        build.Attempt.ShouldBeLessThanOrEqualTo(1, "a graceful hand-back does not use up an attempt");
        await client.CancelBuildAsync(id);
        (await server.WaitForFinalAsync(id, TimeSpan.FromSeconds(30))).State.ShouldBe("canceled");
    }

    [Fact]
    public async Task Kill_9_of_the_server_and_workers_at_random_moments_loses_no_build_and_ends_each_exactly_once()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var settings = new Dictionary<string, string?>(ShortLeases)
        {
            ["Forgeline__Builds__RetryBackoffSeconds"] = "1",
            ["Forgeline__Builds__MaxAttempts"] = "50",
        };
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, settings);
        var workers = new Dictionary<string, ForgelineProcess> { ["w1"] = await server.StartWorkerAsync("w1"), ["w2"] = await server.StartWorkerAsync("w2") };
        var sources = Enumerable.Range(0, 3)
            .Select(i => TestPackages.WriteSpecDirectory(server.Home["in"], $"chaos{i}", buildScript: $"echo chaos{i}; sleep 0.{3 + (3 * i)}"))
            .ToList();
        var acknowledged = new List<long>();
        var kills = new List<string>();

        for (var round = 0; round < 8; round++)
        {
            // Submissions while the server may be down: a refused one is retried, only answered ones are counted.
            for (var i = 0; i < 2; i++)
            {
                var (code, stdout, _) = await server.CliAsync("build", sources[random.Next(sources.Count)], "--no-cache");
                if (code == 0)
                {
                    acknowledged.Add(long.Parse(stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            await Task.Delay(random.Next(300, 1500));
            if (random.Next(3) == 0)
            {
                kills.Add("server");
                await server.Process.KillAsync();
                await Task.Delay(random.Next(0, 500));
                await server.StartProcessAsync();
            }
            else
            {
                var name = random.Next(2) == 0 ? "w1" : "w2";
                kills.Add(name);
                await workers[name].KillAsync();
                workers[name] = await server.StartWorkerAsync(name);
            }
        }

        using var client = server.Client();
        var all = (await client.ListBuildsAsync(limit: 500)).Items.Select(b => b.Id).ToList();
        all.ShouldBe(acknowledged.Order().ToList(), ignoreOrder: true, $"seed {seed}: every acknowledged build exists and nothing else does");
        foreach (var id in all)
        {
            var build = await server.WaitForFinalAsync(id, TimeSpan.FromMinutes(2));
            build.State.ShouldBe("succeeded", $"seed {seed}, kills {string.Join(",", kills)}: {build.Reason}");
            build.Artifacts.Count(a => a.Kind == "rpm").ShouldBe(1);
            var history = await client.GetBuildHistoryAsync(id);
            history.Count(e => e.Kind == "finished").ShouldBe(1, $"seed {seed}: build {id} ended once");
            history[^1].Kind.ShouldBe("finished");
            history.Count(e => e.Kind == "started").ShouldBe(build.Attempt + history.Count(e => e.Detail?.Contains("shutting down", StringComparison.Ordinal) == true));
        }

        acknowledged.Count.ShouldBeGreaterThan(10);
    }

    private static async Task WaitForAsync(ForgelineServer server, long id, Func<BuildDto, bool> condition)
    {
        using var client = server.Client();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition(await client.GetBuildAsync(id)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"build {id} never reached the expected state");
            }

            await Task.Delay(100);
        }
    }
}
