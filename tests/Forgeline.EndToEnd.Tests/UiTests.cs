using Forgeline.Testing;
using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>The web UI in Debian's Chromium: the build page shows log lines as they arrive; lists show builds and workers.</summary>
public sealed class UiTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IAsyncLifetime
{
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    private ForgelineServer Server => fixture.Server;

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
    public async Task The_build_page_streams_log_lines_as_the_build_prints_them()
    {
        var dir = TestPackages.WriteSpecDirectory(Server.Home["in"], "ticker",
            buildScript: "for i in 1 2 3 4 5 6; do echo tick-$i-of-6; sleep 0.7; done");
        var id = (await Server.CliAsync("build", dir)).Stdout.Trim();

        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{Server.Url}builds/{id}");
        var log = page.Locator("#log");
        await Assertions.Expect(log).ToContainTextAsync("tick-2-of-6", new() { Timeout = 60_000 });
        var early = await log.TextContentAsync();
        (early ?? "").ShouldNotContain("tick-6-of-6", customMessage: "the page was opened before the build ended, so later lines must arrive live");
        await Assertions.Expect(log).ToContainTextAsync("tick-6-of-6", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("succeeded", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("ticker-1.0-1.noarch.rpm");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Server.Home.Path, "build-page.png"), FullPage = true });
    }

    [Fact]
    public async Task The_lists_show_builds_and_workers()
    {
        var dir = TestPackages.WriteSpecDirectory(Server.Home["in"], "listed");
        (await Server.CliAsync("build", dir, "--follow")).ExitCode.ShouldBe(0);

        var page = await browser.NewPageAsync();
        await page.GotoAsync(Server.Url.ToString());
        await Assertions.Expect(page.Locator("#builds")).ToContainTextAsync("listed-1.0-1");
        await Assertions.Expect(page.Locator("#builds")).ToContainTextAsync("succeeded");

        await page.GotoAsync($"{Server.Url}workers");
        await Assertions.Expect(page.Locator("#workers")).ToContainTextAsync("-embedded");
        await Assertions.Expect(page.Locator("#workers")).ToContainTextAsync("x86_64");
    }

    [Fact]
    public async Task The_queue_page_shows_owners_shares_and_the_order_builds_will_start_in()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        using var admin = server.Client();
        await admin.CreateGroupAsync(new Core.Accounts.CreateGroupRequest("mass"));
        var bot = (await admin.CreateTokenAsync(new Core.Tokens.CreateTokenRequest("rebuild-bot", ["build"], Owner: "mass"))).Token;
        var dir = TestPackages.WriteSpecDirectory(server.Home["in"], "waiting");
        var massIds = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var (code, stdout, stderr) = await server.CliAsync(["build", dir, "--no-cache", "--priority", "low"], bot);
            code.ShouldBe(0, stderr);
            massIds.Add(long.Parse(stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var mine = await server.SubmitAsync(dir, "--no-cache");

        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{server.Url}queue");
        await Assertions.Expect(page.Locator("#queue-summary")).ToContainTextAsync("4 queued");
        await Assertions.Expect(page.Locator("#owners tr[data-owner=mass]")).ToContainTextAsync("0 running · 3 queued");
        await Assertions.Expect(page.Locator("#owners tr[data-owner=admin] .bars .wait")).ToHaveCountAsync(1);
        // Neither owner runs anything: they take turns, admin first (never served, alphabetical among equals).
        var order = await page.Locator("#queue tbody tr td:nth-child(2)").AllInnerTextsAsync();
        order.ShouldBe([$"#{mine}", $"#{massIds[0]}", $"#{massIds[1]}", $"#{massIds[2]}"]);

        await page.Locator("#owners a", new() { HasText = "mass" }).ClickAsync();
        await Assertions.Expect(page.Locator("#queue tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#queue tbody tr").First).ToContainTextAsync("low");
    }
}
