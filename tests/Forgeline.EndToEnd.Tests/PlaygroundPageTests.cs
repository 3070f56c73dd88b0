using Forgeline.Testing;
using Forgeline.Testing.Playground;
using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// The Playground page in Debian's Chromium: xterm.js on a real shell. The test types as a person would and reads the
/// answer from the terminal's screen; it runs vim, resizes the window, and closes the tab.
/// </summary>
public sealed class PlaygroundPageTests(PlaygroundTests.Fixture fixture) : IClassFixture<PlaygroundTests.Fixture>, IAsyncLifetime
{
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    private ForgelineServer Server => fixture.Server;

    public async Task InitializeAsync()
    {
        playwright = await Playwright.CreateAsync();
        browser = await DebianChromium.LaunchAsync(playwright);
        var course = Server.Home["browser-course.md"];
        await File.WriteAllTextAsync(course, "# Learning vim\n\n1. Open a file with `vim notes.txt`.\n<script>alert(1)</script>\n");
        var created = await Server.CliAsync("playground", "env", "create", "browser-course", "--rootfs", fixture.Image, "--title", "Learning vim",
            "--welcome", "Welcome, learner!", "--course", course, "--anonymous", "--grace-seconds", "3");
        created.ExitCode.ShouldBe(0, created.Stderr);
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    [Fact]
    public async Task A_visitor_types_into_the_terminal_uses_vim_resizes_the_window_and_closing_the_tab_ends_the_session()
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 700 } });
        await page.GotoAsync($"{Server.Url}playground/browser-course");
        await Assertions.Expect(page.Locator("#pg-course h1")).ToHaveTextAsync("Learning vim");
        (await page.Locator("#pg-course").InnerTextAsync()).ShouldContain("<script>alert(1)</script>", customMessage: "raw HTML in a course is shown as text, never run");
        await XtermScreen.WaitForAsync(page, s => s.Contains("Welcome, learner!") && s.TrimEnd().EndsWith('$'));
        await page.Locator("#pg-terminal").ClickAsync();

        await page.Keyboard.TypeAsync("echo hel''lo; uname -a; echo café ✓\n");

        var screen = await XtermScreen.WaitForAsync(page, s => s.Split('\n').Contains("café ✓"));
        screen.Split('\n').ShouldContain("hello");
        screen.ShouldContain("Linux playground");

        await page.Keyboard.TypeAsync("vim notes.txt\n");
        await XtermScreen.WaitForAsync(page, s => s.Contains("\"notes.txt\" [New]"));
        (await page.EvaluateAsync<string>("() => window.forgelinePlayground.term.buffer.active.type")).ShouldBe("alternate");
        await page.Keyboard.TypeAsync("iwritten in vim");
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.TypeAsync(":wq\n");
        await XtermScreen.WaitForAsync(page, s => s.TrimEnd().EndsWith('$'));
        await page.Keyboard.TypeAsync("cat notes.txt\n");
        await XtermScreen.WaitForAsync(page, s => s.Split('\n').Contains("written in vim"));

        var before = await SizeAsync(page);
        await page.SetViewportSizeAsync(1400, 900);
        var (columns, rows) = await WaitForFitAsync(page, before);
        await page.Keyboard.TypeAsync("stty size\n");
        await XtermScreen.WaitForAsync(page, s => s.Split('\n').Contains($"{rows} {columns}"));

        await page.Keyboard.TypeAsync("sleep 8642 & echo BACK''GROUND\n");
        await XtermScreen.WaitForAsync(page, s => s.Split('\n').Contains("BACKGROUND"));
        await HostProcesses.WaitForAsync("sleep 8642", 1);
        await page.CloseAsync();

        // The grace period for a reload (3 s here), then every process is gone.
        await HostProcesses.WaitForAsync("sleep 8642", 0, TimeSpan.FromSeconds(60));
    }

    private static async Task<(int Columns, int Rows)> SizeAsync(IPage page)
    {
        var size = await page.EvaluateAsync<int[]>("() => [window.forgelinePlayground.term.cols, window.forgelinePlayground.term.rows]");
        return (size[0], size[1]);
    }

    private static async Task<(int Columns, int Rows)> WaitForFitAsync(IPage page, (int Columns, int Rows) before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var size = await SizeAsync(page);
            if ((size.Columns > before.Columns && size.Rows > before.Rows) || DateTime.UtcNow > deadline)
            {
                size.Columns.ShouldBeGreaterThan(before.Columns, "the terminal grows with the window");
                size.Rows.ShouldBeGreaterThan(before.Rows, "the terminal grows with the window");
                return size;
            }

            await Task.Delay(100);
        }
    }
}
