using Forgeline.Bot.Api;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Deliveries;
using Forgeline.Bot.Plugins;
using Forgeline.Bot.Tests.Plugins;
using Forgeline.Core;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Testing;
using Microsoft.Extensions.Options;

namespace Forgeline.Bot.Tests.Api;

/// <summary>
/// What the /bot page reads, on each database engine: delivery counts per state in the last hour and day (one GROUP BY),
/// the forges with their webhook URLs, and each repository key with its defaults filled in.
/// </summary>
public abstract class BotQueriesTests(DatabaseEngine engine) : IAsyncLifetime
{
    private static readonly IReadOnlyList<IBotPlugin> Plugins = TestPlugins.All();
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-11-22T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly TempDirectory home = new("forgeline-bot-queries");
    private TestDatabase database = null!;
    private ForgelineDbContext db = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(engine);
        db = database.Open();
        await DatabaseMigrator.MigrateAsync(db);
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        await database.DisposeAsync();
        home.Dispose();
    }

    [Fact]
    public async Task Counts_per_state_cover_the_last_hour_and_day_and_list_every_state()
    {
        var now = time.GetUtcNow().UtcDateTime;
        Store(DeliveryStates.Done, now.AddMinutes(-10), now.AddMinutes(-59), now.AddHours(-3), now.AddHours(-23));
        Store(DeliveryStates.Rejected, now.AddMinutes(-1));
        Store(DeliveryStates.Pending, now.AddSeconds(-5));
        Store(DeliveryStates.Failed, now.AddHours(-2));
        // Older than a day: counted nowhere.
        Store(DeliveryStates.Done, now.AddHours(-25), now.AddDays(-3));
        Store(DeliveryStates.Rejected, now.AddDays(-2));
        await db.SaveChangesAsync();

        var counts = await Queries().DeliveryCountsAsync(CancellationToken.None);

        counts.ShouldBe([
            new BotDeliveryCountDto("pending", 1, 1),
            new BotDeliveryCountDto("processing", 0, 0),
            new BotDeliveryCountDto("done", 2, 4),
            new BotDeliveryCountDto("failed", 0, 1),
            new BotDeliveryCountDto("rejected", 1, 1),
        ]);

        time.Advance(TimeSpan.FromHours(1));
        (await Queries().DeliveryCountsAsync(CancellationToken.None)).Single(c => c.State == "done").ShouldBe(new BotDeliveryCountDto("done", 0, 3));
    }

    [Fact]
    public void Forges_show_which_are_configured_and_their_webhook_url_under_the_public_url()
    {
        var queries = Queries("""
            public_url: https://forgeline.example.org/
            forges:
              github: { api_url: "https://api.github.com", token: t, webhook_secret: s }
              gitlab: { api_url: "https://gitlab.example.org/api/v4", token: t }
            """);

        queries.Forges("http://127.0.0.1:8080").ShouldBe([
            new BotForgeDto("github", true, "https://api.github.com", true, "https://forgeline.example.org/hooks/github"),
            new BotForgeDto("gitee", false, null, false, "https://forgeline.example.org/hooks/gitee"),
            new BotForgeDto("gitlab", true, "https://gitlab.example.org/api/v4", false, "https://forgeline.example.org/hooks/gitlab"),
        ]);
    }

    [Fact]
    public void Without_a_public_url_webhooks_go_to_the_server_the_visitor_reached()
    {
        var queries = Queries("forges:\n  gitee: { api_url: \"https://gitee.com/api/v5\", token: t, webhook_secret: s }\n");

        queries.Forges("http://10.0.0.5:8080/").Single(f => f.Forge == "gitee").WebhookUrl.ShouldBe("http://10.0.0.5:8080/hooks/gitee");
    }

    [Fact]
    public void Repositories_list_each_key_with_defaults_filled_in_default_last_and_job_urls_without_their_query()
    {
        var queries = Queries("""
            community: openeuler
            repos:
              default:
                plugins: [help]
              src-openeuler:
                plugins: [lgtm, cla, merge]
              openeuler/kernel:
                plugins: [hold, ci]
                merge: { method: squash, required_labels: [lgtm], blocking_labels: [wip] }
                jobs:
                  - { name: build, farm: true }
                  - { name: lint, url: "https://ci.example.org/job/lint/build?token=very-secret", always_run: false, required: false }
            """);

        var repos = queries.Repositories();

        repos.Select(r => r.Key).ShouldBe(["openeuler/kernel", "src-openeuler", "default"]);
        var kernel = repos[0];
        kernel.Plugins.ShouldBe(["hold", "ci"]);
        kernel.MergeMethod.ShouldBe("squash");
        kernel.RequiredLabels.ShouldBe(["lgtm"]);
        kernel.BlockingLabels.ShouldBe(["wip"]);
        kernel.Jobs.ShouldBe([new BotJobDto("build", "build farm", true, true), new BotJobDto("lint", "https://ci.example.org/job/lint/build", false, false)]);
        var src = repos[1];
        src.MergeMethod.ShouldBe("merge");
        src.RequiredLabels.ShouldBe(["lgtm", "approved", "openeuler-cla/yes"]);
        src.BlockingLabels.ShouldContain("openeuler-cla/no");
        src.Jobs.ShouldBeEmpty();
    }

    [Fact]
    public void Without_a_configuration_no_forge_is_configured_and_no_repository_listed()
    {
        var queries = Queries(yaml: null);

        queries.Forges("http://localhost:8080").ShouldAllBe(f => !f.Configured && !f.HasWebhookSecret);
        queries.Repositories().ShouldBeEmpty();
        queries.Commands().Select(c => c.Name).ShouldContain("lgtm", "commands are known even before the bot is configured");
    }

    private BotQueries Queries(string? yaml = "")
    {
        var path = home["bot.yaml"];
        if (yaml is not null)
        {
            File.WriteAllText(path, yaml);
        }

        var runtime = new BotRuntime(Options.Create(new BotOptions { Config = path }), new ForgelinePaths(home.Path), Plugins);
        return new BotQueries(db, new CommandCatalog(Plugins), runtime, time);
    }

    private void Store(string state, params DateTime[] receivedAt)
    {
        foreach (var at in receivedAt)
        {
            db.BotDeliveries.Add(new BotDeliveryRecord { Forge = "github", DeliveryId = Guid.NewGuid().ToString(), Event = "issue_comment", State = state, ReceivedAt = at });
        }
    }

    public sealed class OnSqlite() : BotQueriesTests(DatabaseEngine.Sqlite);

    public sealed class OnPostgres() : BotQueriesTests(DatabaseEngine.Postgres);
}
