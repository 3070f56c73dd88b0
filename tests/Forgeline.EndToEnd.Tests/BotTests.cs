using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Forgeline.Bot.Forges;
using Forgeline.Testing;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// The review bot in a real <c>forgeline server</c>, driven by real webhook payloads of GitHub, Gitee and GitLab signed as
/// each forge signs them, acting on the in-process fake forge.
/// </summary>
public sealed class BotTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    internal const string GitHubRepo = "Codertocat/Hello-World";

    [Fact]
    public async Task Lgtm_and_approve_on_github_label_and_merge_a_pull_request_and_a_push_resets_lgtm()
    {
        await using var bot = await BotServer.StartAsync("lgtm, approve, hold, help, merge");
        var state = bot.Forge.State;
        state.AddRepository(Forge.GitHub, GitHubRepo);
        state.AddCollaborator(Forge.GitHub, GitHubRepo, "bob");
        state.AddCollaborator(Forge.GitHub, GitHubRepo, "alice");
        state.AddCollaborator(Forge.GitHub, GitHubRepo, "carol");
        state.SetFile(Forge.GitHub, GitHubRepo, "main", "OWNERS", "approvers: [alice]\nreviewers: [bob]\n");
        state.AddIssue(Forge.GitHub, GitHubRepo, new FakeIssue(2, true, "carol", "Fix the greeting") { HeadSha = "1111111", ChangedFiles = [new FakeChangedFile("README.md")] });

        // The author's own /lgtm is refused with an answer; bob's is not.
        (await bot.GitHubAsync("issue_comment", Comment(2, "carol", "carol", "/lgtm"))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await bot.Forge.WaitForCallAsync(c => c.Method == "POST" && c.Path.EndsWith("/issues/2/comments", StringComparison.Ordinal) && c.Body.Contains("your own", StringComparison.OrdinalIgnoreCase), Patience);
        state.Issue(Forge.GitHub, GitHubRepo, 2)!.Labels.ShouldBeEmpty();

        (await bot.GitHubAsync("issue_comment", Comment(2, "bob", "carol", "Looks right.\n/lgtm"))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await bot.Forge.WaitForCallAsync(c => c.Method == "POST" && c.Path.EndsWith("/issues/2/labels", StringComparison.Ordinal) && c.Body.Contains("lgtm", StringComparison.Ordinal), Patience);

        // A quoted /approve is somebody else's command; alice's own /approve covers README.md and the pull request merges.
        (await bot.GitHubAsync("issue_comment", Comment(2, "bob", "carol", "> /approve\nwaiting for alice"))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await bot.GitHubAsync("issue_comment", Comment(2, "alice", "carol", "/approve"))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var merge = await bot.Forge.WaitForCallAsync(c => c.Method == "PUT" && c.Path.EndsWith("/pulls/2/merge", StringComparison.Ordinal), Patience);
        merge.Body.ShouldContain("1111111");
        state.Merges.Single().Number.ShouldBe(2);
        state.Issue(Forge.GitHub, GitHubRepo, 2)!.Labels.ShouldBe(["lgtm", "approved"], ignoreOrder: true);
        using (var client = bot.Server.Client())
        {
            var commands = await OutboxEvents.ReadAsync(client, "org.forgeline.bot.command", e => e.Any(x => x.GetProperty("data").GetProperty("author").GetString() == "alice"));
            var approve = commands.Single(x => x.GetProperty("data").GetProperty("author").GetString() == "alice");
            approve.GetProperty("subject").GetString().ShouldBe($"github/{GitHubRepo}/2");
            approve.GetProperty("data").GetProperty("commands").EnumerateArray().Select(c => c.GetString()).ShouldBe(["/approve"]);
        }


        // A new push on another pull request that had lgtm removes it.
        state.AddIssue(Forge.GitHub, GitHubRepo, new FakeIssue(3, true, "carol", "Another") { HeadSha = "2222222", Labels = ["lgtm"], ChangedFiles = [new FakeChangedFile("README.md")] });
        var push = BotServer.Edit("github-webhooks/pull_request/synchronize.payload.json", n =>
        {
            n["repository"]!["full_name"] = GitHubRepo;
            n["repository"]!["name"] = "Hello-World";
            n["repository"]!["owner"]!["login"] = "Codertocat";
            n["number"] = 3;
            n["pull_request"]!["number"] = 3;
            n["pull_request"]!["user"]!["login"] = "carol";
            n["pull_request"]!["head"]!["sha"] = "3333333";
            n["pull_request"]!["labels"] = new JsonArray(new JsonObject { ["name"] = "lgtm" });
        });
        (await bot.GitHubAsync("pull_request", push)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await bot.Forge.WaitForCallAsync(c => c.Method == "DELETE" && c.Path.EndsWith("/issues/3/labels/lgtm", StringComparison.Ordinal), Patience);

        // Every command is listed, from the same data /help answers with.
        var help = await bot.Http.GetFromJsonAsync<JsonElement[]>(new Uri(bot.Server.Url, "api/v1/bot/help"));
        help!.Select(c => c.GetProperty("name").GetString()).ShouldContain("lgtm");
        help!.Select(c => c.GetProperty("name").GetString()).ShouldContain("ok-to-test");
    }

    [Fact]
    public async Task A_package_pull_request_is_built_on_the_farm_and_the_result_comes_back_as_a_status_and_a_comment()
    {
        await using var bot = await BotServer.StartAsync("ci", jobs: "[ { name: build, farm: true } ]", embeddedWorker: true);
        var git = bot.Server.Home["git"];
        var repo = TestPackages.WriteSpecDirectory(git, "hello", version: "1.0");
        foreach (var args in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1"] })
        {
            (await ProcessRunner.RunAsync("git", args, repo)).ExitCode.ShouldBe(0);
        }

        var sha = (await ProcessRunner.RunAsync("git", ["rev-parse", "HEAD"], repo)).Stdout.Trim();
        await using var daemon = await GitDaemon.StartAsync(git);
        var state = bot.Forge.State;
        state.AddRepository(Forge.GitHub, GitHubRepo);
        state.AddCollaborator(Forge.GitHub, GitHubRepo, "bob");
        state.AddIssue(Forge.GitHub, GitHubRepo, new FakeIssue(5, true, "bob", "Update hello") { HeadSha = sha });
        var opened = BotServer.Edit("github-webhooks/pull_request/opened.payload.json", n =>
        {
            n["repository"]!["full_name"] = GitHubRepo;
            n["repository"]!["name"] = "Hello-World";
            n["repository"]!["owner"]!["login"] = "Codertocat";
            n["repository"]!["clone_url"] = $"{daemon.Url}/hello";
            n["number"] = 5;
            n["pull_request"]!["number"] = 5;
            n["pull_request"]!["user"]!["login"] = "bob";
            n["pull_request"]!["head"]!["sha"] = sha;
            n["sender"]!["login"] = "bob";
        });

        (await bot.GitHubAsync("pull_request", opened)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await bot.Forge.WaitForCallAsync(c => c.Method == "POST" && c.Path.EndsWith($"/statuses/{sha}", StringComparison.Ordinal) && c.Body.Contains("pending", StringComparison.Ordinal), Patience);
        var success = await bot.Forge.WaitForCallAsync(
            c => c.Method == "POST" && c.Path.EndsWith($"/statuses/{sha}", StringComparison.Ordinal) && c.Body.Contains("\"success\"", StringComparison.Ordinal), TimeSpan.FromMinutes(4));
        success.Body.ShouldContain("forgeline/build");
        var comment = await bot.Forge.WaitForCallAsync(c => c.Method == "POST" && c.Path.EndsWith("/issues/5/comments", StringComparison.Ordinal), Patience);
        comment.Body.ShouldContain("/builds/");
        comment.Body.ShouldContain("/log");
    }

    [Fact]
    public async Task Gitee_and_gitlab_comments_put_holds_on_their_pull_requests()
    {
        await using var bot = await BotServer.StartAsync("hold");
        var state = bot.Forge.State;
        state.AddRepository(Forge.Gitee, "kit101/drone-yml-test");
        state.AddIssue(Forge.Gitee, "kit101/drone-yml-test", new FakeIssue(7, true, "kit101", "PR") { HeadSha = "6168d9dae737b47f00c59fafca10c913a6850c3a", BaseRef = "master" });
        state.AddRepository(Forge.GitLab, "gitlab-org/hello-world");
        state.AddIssue(Forge.GitLab, "gitlab-org/hello-world", new FakeIssue(1, true, "sytses", "MR") { HeadSha = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", BaseRef = "master" });

        var gitee = BotServer.Edit("gitee-webhooks/note_hook_pr_comment.json", n => n["comment"]!["body"] = "/hold");
        (await bot.GiteeAsync("Note Hook", gitee)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var gitlab = BotServer.Edit("gitlab-webhooks/merge_request_comment_create.json", n => n["object_attributes"]!["note"] = "/hold");
        (await bot.GitLabAsync("Note Hook", gitlab)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await WaitForAsync(() => state.Issue(Forge.Gitee, "kit101/drone-yml-test", 7)!.Labels.Contains("do-not-merge/hold"), "the Gitee hold label");
        await WaitForAsync(() => state.Issue(Forge.GitLab, "gitlab-org/hello-world", 1)!.Labels.Contains("do-not-merge/hold"), "the GitLab hold label");
    }

    [Fact]
    public async Task Bad_signatures_are_refused_and_recorded_repeats_are_processed_once_and_oversized_bodies_are_refused()
    {
        await using var bot = await BotServer.StartAsync("hold", new Dictionary<string, string?> { ["Forgeline__Bot__MaxWebhookBytes"] = "65536" });
        var state = bot.Forge.State;
        state.AddRepository(Forge.GitHub, GitHubRepo);
        state.AddIssue(Forge.GitHub, GitHubRepo, new FakeIssue(2, true, "carol", "PR") { HeadSha = "1111111" });
        var body = Comment(2, "bob", "carol", "/hold");

        var forged = await bot.GitHubAsync("issue_comment", body, signature: "sha256=" + new string('0', 64));
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await bot.GitHubAsync("issue_comment", body, signature: "")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("/hold", "/hold cancel", StringComparison.Ordinal));
        var signedOther = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(BotServer.Secret), body));
        (await bot.GitHubAsync("issue_comment", tampered, signature: signedOther)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var id = Guid.NewGuid().ToString();
        (await bot.GitHubAsync("issue_comment", body, deliveryId: id)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var again = await bot.GitHubAsync("issue_comment", body, deliveryId: id);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Content.ReadAsStringAsync()).ShouldContain("already received");
        await WaitForAsync(() => state.Issue(Forge.GitHub, GitHubRepo, 2)!.Labels.Contains("do-not-merge/hold"), "the hold label");

        var big = Comment(2, "bob", "carol", "/hold\n" + new string('x', 70_000));
        (await bot.GitHubAsync("issue_comment", big)).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await bot.Http.PostAsync(new Uri(bot.Server.Url, "hooks/bitbucket"), new ByteArrayContent(body))).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", bot.Server.AdminToken);
        var rejected = await admin.GetFromJsonAsync<JsonElement[]>(new Uri(bot.Server.Url, "api/v1/bot/deliveries?state=rejected"));
        rejected!.Length.ShouldBe(3);
        rejected.ShouldAllBe(d => d.GetProperty("error").GetString() == "bad or missing signature");
        (await bot.Http.GetAsync(new Uri(bot.Server.Url, "api/v1/bot/deliveries"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        await WaitForAsync(async () => (await admin.GetFromJsonAsync<JsonElement[]>(new Uri(bot.Server.Url, "api/v1/bot/deliveries?state=done")))!.Length == 1, "the delivery to be done");
        bot.Forge.Calls.Count(c => c.Method == "POST" && c.Path.EndsWith("/issues/2/labels", StringComparison.Ordinal)).ShouldBe(1);

        // The same story in /metrics (this server's own counts): names, types and labels as docs/operations.md lists them.
        var metrics = await PrometheusScrape.FetchAsync(bot.Server.Url);
        metrics.TypeOf("forgeline_bot_deliveries_total").ShouldBe("counter");
        metrics.Sum("forgeline_bot_deliveries_total", ("forge", "github"), ("outcome", "rejected")).ShouldBe(3, metrics.Text);
        metrics.Sum("forgeline_bot_deliveries_total", ("forge", "github"), ("outcome", "accepted")).ShouldBe(1, metrics.Text);
        metrics.Sum("forgeline_bot_deliveries_total", ("forge", "github"), ("outcome", "duplicate")).ShouldBe(1, metrics.Text);
        metrics.TypeOf("forgeline_bot_plugin_runs_total").ShouldBe("counter");
        metrics.Sum("forgeline_bot_plugin_runs_total", ("plugin", "hold"), ("outcome", "done")).ShouldBe(1, metrics.Text);
        metrics.TypeOf("forgeline_bot_plugin_seconds_total").ShouldBe("counter");
        metrics.Sum("forgeline_bot_plugin_seconds_total", ("plugin", "hold"), ("outcome", "done")).ShouldBeGreaterThan(0);
        metrics.TypeOf("forgeline_bot_plugin_seconds").ShouldBe("histogram");
        metrics.Sum("forgeline_bot_plugin_seconds_count", ("plugin", "hold")).ShouldBe(1, metrics.Text);
        metrics.Has("forgeline_bot_plugin_seconds_bucket", ("plugin", "hold"), ("le", "0.005")).ShouldBeTrue(metrics.Text);
        metrics.TypeOf("forgeline_bot_forge_requests_total").ShouldBe("counter");
        metrics.Sum("forgeline_bot_forge_requests_total", ("forge", "github"), ("method", "POST")).ShouldBeGreaterThanOrEqualTo(1, metrics.Text);
        metrics.TypeOf("forgeline_bot_forge_request_duration_seconds").ShouldBe("histogram");
    }

    [Fact]
    public async Task A_delivery_in_flight_when_the_server_is_killed_is_finished_after_restart()
    {
        await using var bot = await BotServer.StartAsync("hold", new Dictionary<string, string?> { ["Forgeline__Bot__ClaimSeconds"] = "5" });
        var state = bot.Forge.State;
        state.AddRepository(Forge.GitHub, GitHubRepo);
        state.AddIssue(Forge.GitHub, GitHubRepo, new FakeIssue(4, true, "carol", "PR") { HeadSha = "4444444" });

        bot.Forge.Pause();
        (await bot.GitHubAsync("issue_comment", Comment(4, "bob", "carol", "/hold"))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await bot.Forge.HeldAsync().WaitAsync(Patience);
        await bot.Server.Process.KillAsync();
        bot.Forge.Resume();

        await bot.Server.StartProcessAsync();
        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", bot.Server.AdminToken);
        JsonElement delivery = default;
        await WaitForAsync(async () =>
        {
            delivery = (await admin.GetFromJsonAsync<JsonElement[]>(new Uri(bot.Server.Url, "api/v1/bot/deliveries")))!.Single();
            return delivery.GetProperty("state").GetString() == "done";
        }, "the delivery to be finished by the restarted server");
        delivery.GetProperty("attempts").GetInt32().ShouldBe(2);
        delivery.GetProperty("plugins").EnumerateArray().Select(p => (p.GetProperty("plugin").GetString(), p.GetProperty("outcome").GetString())).ShouldBe([("hold", "done")]);
        state.Issue(Forge.GitHub, GitHubRepo, 4)!.Labels.ShouldBe(["do-not-merge/hold"]);
    }

    [Fact]
    public async Task An_unknown_plugin_in_the_configuration_stops_the_server_with_a_message_naming_it()
    {
        using var config = new TempDirectory("forgeline-bot-config");
        await File.WriteAllTextAsync(config["bot.yaml"], "repos:\n  openeuler:\n    plugins: [lgtm, lgmt]\n");
        using var home = new TempDirectory("forgeline-server");
        var environment = new Dictionary<string, string?> { ["FORGELINE_BOT_CONFIG"] = config["bot.yaml"], ["FORGELINE_DATA"] = home["data"], ["XDG_CONFIG_HOME"] = home["config"] };
        await using var process = ForgelineProcess.Start(["server", "--urls", "http://127.0.0.1:0", "--no-worker"], environment);
        await WaitForAsync(() => process.HasExited, "the server to stop");
        (await process.StopAsync()).ShouldBe(2);
        process.Output.ShouldContain("unknown plugin 'lgmt'");
    }

    [Fact]
    public async Task With_a_broker_deliveries_taken_by_one_replica_are_processed_by_every_bot_replica()
    {
        var broker = await RabbitMqServer.StartAsync(virtualHosts: 1);
        try
        {
            await HoldsAcrossReplicasAsync(broker);
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    private static async Task HoldsAcrossReplicasAsync(RabbitMqServer broker)
    {
        await using var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        var shared = new Dictionary<string, string?> { ["FORGELINE_DATABASE"] = database.Url, ["FORGELINE_BROKER"] = broker.Url(await broker.CreateVirtualHostAsync()) };
        await using var bot = await BotServer.StartAsync("hold", shared);
        var state = bot.Forge.State;
        state.AddRepository(Forge.GitHub, GitHubRepo);
        const int Pulls = 40;
        for (var n = 1; n <= Pulls; n++)
        {
            state.AddIssue(Forge.GitHub, GitHubRepo, new FakeIssue(n, true, "carol", $"PR {n}") { HeadSha = $"{n:D7}" });
        }

        // A second replica running only the bot target, on the same database and broker, with its own data directory.
        using var home = new TempDirectory("forgeline-bot-replica");
        var port = ForgelineServer.FreePort();
        var environment = new Dictionary<string, string?>(shared)
        {
            ["FORGELINE_BOT_CONFIG"] = bot.Config["bot.yaml"],
            ["FORGELINE_DATA"] = home["data"],
            ["XDG_CONFIG_HOME"] = home["config"],
        };
        await using var replica = ForgelineProcess.Start(["server", "--targets", "bot", "--urls", $"http://127.0.0.1:{port}"], environment);
        await replica.WaitForOutputAsync("Forgeline is listening on", Patience);

        for (var n = 1; n <= Pulls; n++)
        {
            (await bot.GitHubAsync("issue_comment", Comment(n, "bob", "carol", "/hold"))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        await WaitForAsync(() => Enumerable.Range(1, Pulls).All(n => state.Issue(Forge.GitHub, GitHubRepo, n)!.Labels.Contains("do-not-merge/hold")), "every hold label");
        var byReplica = await HoldRunsAsync(new Uri($"http://127.0.0.1:{port}/"));
        var byFirst = await HoldRunsAsync(bot.Server.Url);
        (byReplica + byFirst).ShouldBe(Pulls);
        byReplica.ShouldBeGreaterThan(0);
        bot.Forge.Calls.Count(c => c.Method == "POST" && c.Path.EndsWith("/labels", StringComparison.Ordinal)).ShouldBe(Pulls);
    }

    private static async Task<int> HoldRunsAsync(Uri server)
    {
        var metrics = await PrometheusScrape.FetchAsync(server);
        return (int)metrics.Sum("forgeline_bot_plugin_runs_total", ("plugin", "hold"), ("outcome", "done"));
    }

    /// <summary>GitHub's issue_comment payload on pull request <paramref name="number"/> by <paramref name="sender"/>.</summary>
    internal static byte[] Comment(int number, string sender, string author, string body) =>
        BotServer.Edit("github-webhooks/issue_comment/created.payload.json", n =>
        {
            n["issue"]!["number"] = number;
            n["issue"]!["user"]!["login"] = author;
            n["issue"]!["pull_request"] = new JsonObject { ["url"] = $"https://api.github.com/repos/{GitHubRepo}/pulls/{number}" };
            n["issue"]!["labels"] = new JsonArray();
            n["comment"]!["body"] = body;
            n["comment"]!["user"]!["login"] = sender;
            n["sender"]!["login"] = sender;
        });

    private static Task WaitForAsync(Func<bool> condition, string what) => WaitForAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {Patience.TotalSeconds} s for {what}");
            }

            await Task.Delay(50);
        }
    }
}
