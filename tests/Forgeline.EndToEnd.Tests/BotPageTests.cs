using System.Net;
using Forgeline.Bot.Forges;
using Forgeline.Testing;
using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// The review bot's page in Debian's Chromium, on a real <c>forgeline server</c> whose bot talks to the fake forge: forges and
/// their webhook URLs, delivery counts, the live delivery table (admins only), repository settings and the command reference.
/// </summary>
public sealed class BotPageTests : IAsyncLifetime
{
    private const float Patience = 60_000;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await DebianChromium.LaunchAsync(playwright);
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    [Fact]
    public async Task Deliveries_arriving_while_an_admin_watches_appear_with_their_state_and_plugin_runs_and_visitors_see_only_counts()
    {
        const string Kernel = """
              openeuler/kernel:
                plugins: [hold, ci]
                merge: { method: squash }
                jobs:
                  - { name: build, farm: true }
            """;
        await using var bot = await BotServer.StartAsync("hold, help", repos: Kernel);
        bot.Forge.State.AddRepository(Forge.GitHub, BotTests.GitHubRepo);
        bot.Forge.State.AddIssue(Forge.GitHub, BotTests.GitHubRepo, new FakeIssue(2, true, "carol", "Fix the greeting") { HeadSha = "1111111" });

        // The admin opens the page before anything arrived; it refreshes itself.
        var admin = await (await browser.NewContextAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {bot.Server.AdminToken}" } })).NewPageAsync();
        await admin.GotoAsync($"{bot.Server.Url}bot");
        await Assertions.Expect(admin.Locator("#deliveries-empty")).ToBeVisibleAsync();

        (await bot.GitHubAsync("issue_comment", BotTests.Comment(2, "bob", "carol", "/hold"))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await bot.GitHubAsync("issue_comment", BotTests.Comment(2, "mallory", "carol", "/hold cancel"), signature: "sha256=" + new string('0', 64)))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var done = admin.Locator("#deliveries tr[data-state=done]");
        await Assertions.Expect(done).ToHaveCountAsync(1, new() { Timeout = Patience });
        await Assertions.Expect(done).ToContainTextAsync(BotTests.GitHubRepo);
        await Assertions.Expect(done).ToContainTextAsync("issue_comment");
        await Assertions.Expect(done.Locator(".state")).ToHaveTextAsync("done");
        await Assertions.Expect(done.Locator(".plugin-run.done[data-plugin=hold]")).ToContainTextAsync(" ms");
        var rejected = admin.Locator("#deliveries tr[data-state=rejected]");
        await Assertions.Expect(rejected).ToHaveCountAsync(1);
        await Assertions.Expect(rejected.Locator(".delivery-error")).ToHaveTextAsync("bad or missing signature");
        await Assertions.Expect(rejected.Locator(".plugin-run")).ToHaveCountAsync(0);
        await admin.ScreenshotAsync(new() { Path = Path.Combine(bot.Server.Home.Path, "bot-page.png"), FullPage = true });

        // A visitor without a token sees the same counts, forges, repositories and commands, but no single delivery.
        var visitor = await browser.NewPageAsync();
        await visitor.GotoAsync($"{bot.Server.Url}bot");
        await Assertions.Expect(visitor.Locator("#bot-status")).ToHaveAttributeAsync("data-configured", "true");
        await Assertions.Expect(visitor.Locator("#delivery-counts .tile[data-state=done]")).ToHaveAttributeAsync("data-hour", "1");
        await Assertions.Expect(visitor.Locator("#delivery-counts .tile[data-state=rejected]")).ToHaveAttributeAsync("data-hour", "1");
        await Assertions.Expect(visitor.Locator("#delivery-counts .tile[data-state=failed]")).ToHaveAttributeAsync("data-day", "0");
        await Assertions.Expect(visitor.Locator("#deliveries")).ToHaveCountAsync(0);
        await Assertions.Expect(visitor.Locator("#deliveries-note")).ToContainTextAsync("admins only");
        await Assertions.Expect(visitor.Locator("#bot-status")).Not.ToContainTextAsync(bot.Config["bot.yaml"]);
        await Assertions.Expect(admin.Locator("#bot-status")).ToContainTextAsync(bot.Config["bot.yaml"]);
        (await visitor.ContentAsync()).ShouldNotContain("bad or missing signature");

        foreach (var forge in new[] { "github", "gitee", "gitlab" })
        {
            var row = visitor.Locator($"#forges tr[data-forge={forge}]");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-configured", "true");
            await Assertions.Expect(row.Locator(".webhook-url")).ToHaveTextAsync($"http://forgeline.example/hooks/{forge}");
        }

        var kernel = visitor.Locator("#repositories tr[data-key='openeuler/kernel']");
        await Assertions.Expect(kernel.Locator(".plugin")).ToHaveTextAsync(["hold", "ci"]);
        await Assertions.Expect(kernel).ToContainTextAsync("squash");
        await Assertions.Expect(kernel.Locator("[data-job=build]")).ToContainTextAsync("build farm");
        await Assertions.Expect(visitor.Locator("#repositories tr[data-key=default] .plugin")).ToHaveTextAsync(["hold", "help"]);
        await Assertions.Expect(visitor.Locator("#commands tr[data-command=hold]")).ToContainTextAsync("/hold");
        // Help text is written for forge comments: its `code` spans show as code, not as backticks.
        await Assertions.Expect(visitor.Locator("#commands tr[data-command=lgtm] td:nth-child(2) .mono").First).ToHaveTextAsync("lgtm");
        await Assertions.Expect(visitor.Locator("#commands tr[data-command=lgtm]")).Not.ToContainTextAsync("`");
        await Assertions.Expect(visitor.Locator("header a.here")).ToHaveTextAsync("Review bot");
    }

    [Fact]
    public async Task Without_a_bot_yaml_the_page_says_the_bot_is_not_configured_and_where_its_configuration_goes()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);

        var visitor = await browser.NewPageAsync();
        await visitor.GotoAsync($"{server.Url}bot");
        await Assertions.Expect(visitor.Locator("#bot-status")).ToContainTextAsync("docs/bot.md");
        await Assertions.Expect(visitor.Locator("#bot-status")).Not.ToContainTextAsync(server.Home["data"]);

        var page = await (await browser.NewContextAsync(new() { ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {server.AdminToken}" } })).NewPageAsync();
        await page.GotoAsync($"{server.Url}bot");
        var status = page.Locator("#bot-status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-configured", "false");
        await Assertions.Expect(status).ToContainTextAsync("not configured");
        await Assertions.Expect(status).ToContainTextAsync("docs/bot.md");
        await Assertions.Expect(status).ToContainTextAsync(Path.Combine(server.Home["data"], "bot.yaml"));
        await Assertions.Expect(page.Locator("#forges tr[data-configured=false]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#repositories-empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#commands tr[data-command=lgtm]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("meta[http-equiv=refresh]")).ToHaveCountAsync(0);
    }
}
