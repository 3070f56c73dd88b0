using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>Debian's Chromium, headless, as every browser test drives it (Playwright never downloads a browser here).</summary>
internal static class DebianChromium
{
    /// <summary>Launches <c>/usr/bin/chromium</c> with the flags a sandboxless CI machine needs.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    });
}
