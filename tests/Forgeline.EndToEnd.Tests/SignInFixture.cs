using Forgeline.Testing;
using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// A real OpenID provider (LemonLDAP::NG from Debian, on loopback), a <c>forgeline server</c> configured to sign in with it
/// as the provider <c>community</c>, and Debian's Chromium: shared by the sign-in tests, each of which uses its own browser
/// context (its own cookies).
/// </summary>
public sealed class SignInFixture : IAsyncLifetime
{
    /// <summary>The provider's name in Forgeline's settings.</summary>
    public const string ProviderName = "community";

    /// <summary>The provider.</summary>
    public OidcProvider Provider { get; private set; } = null!;

    /// <summary>The server.</summary>
    public ForgelineServer Server { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright playwright = null!;

    public async Task InitializeAsync()
    {
        var port = ForgelineServer.FreePort();
        Provider = await OidcProvider.StartAsync([$"http://127.0.0.1:{port}/signin-oidc/{ProviderName}"], $"http://127.0.0.1:{port}/");
        var prefix = $"Forgeline__Accounts__Providers__{ProviderName}__";
        Server = await ForgelineServer.StartOnPortAsync(port, embeddedWorker: false, new Dictionary<string, string?>
        {
            [prefix + "Issuer"] = Provider.Issuer,
            [prefix + "ClientId"] = Provider.ClientId,
            [prefix + "ClientSecret"] = "env:COMMUNITY_OIDC_SECRET",
            ["COMMUNITY_OIDC_SECRET"] = Provider.ClientSecret,
            [prefix + "DisplayName"] = "Community account",
            [prefix + "RequireHttps"] = "false",
        });
        playwright = await Playwright.CreateAsync();
        Browser = await DebianChromium.LaunchAsync(playwright);
    }

    /// <summary>A new browser context (no cookies) with a page on Forgeline's home page.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.Url.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        return page;
    }

    /// <summary>Signs in as <paramref name="user"/> from the home page through the provider's real login form; returns on Forgeline again.</summary>
    public async Task SignInAsync(IPage page, OidcTestUser user)
    {
        await page.ClickAsync("#signin");
        await page.ClickAsync($"a.provider[data-provider={ProviderName}]");
        await page.FillAsync(OidcProvider.UserFieldSelector, user.Login);
        await page.FillAsync(OidcProvider.PasswordFieldSelector, user.Password);
        await page.ClickAsync(OidcProvider.SubmitButtonSelector);
        await Assertions.Expect(page.Locator("#account-link")).ToHaveTextAsync(user.Login, new() { Timeout = 30_000 });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        await Server.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
