using Forgeline.Testing;
using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// Signing in with GitHub and Gitee, whose sign-in is plain OAuth 2.0: the fake forge (checked against their documented
/// OAuth and REST contracts) approves in Chromium, and the user's organisations become groups.
/// </summary>
public sealed class ForgeSignInTests
{
    [Theory]
    [InlineData("github")]
    [InlineData("gitee")]
    public async Task A_forge_account_signs_in_and_its_organisations_become_groups(string type)
    {
        await using var forge = await FakeForgeOAuth.StartAsync(new FakeForgeAccount(4242, "octo-" + type, "Octo Cat", "octo@example.org", ["openeuler", "src-openeuler"]));
        var web = type == "gitee" ? forge.GiteeUrl.ToString() : forge.RootUrl.ToString();
        var prefix = $"Forgeline__Accounts__Providers__{type}__";
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?>
        {
            [prefix + "Type"] = type,
            [prefix + "ClientId"] = FakeForgeOAuth.ClientId,
            [prefix + "ClientSecret"] = FakeForgeOAuth.ClientSecret,
            [prefix + "WebUrl"] = web,
            [prefix + "ApiUrl"] = type == "gitee" ? web + "api/v5" : web,
            [prefix + "RequireHttps"] = "false",
            [prefix + "LinkExistingUsers"] = "false",
        });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.Url.ToString() });
        await page.GotoAsync("/account/signin");
        await page.ClickAsync($"a.provider[data-provider={type}]");
        await page.ClickAsync("#authorize");
        await Assertions.Expect(page.Locator("#account-link")).ToHaveTextAsync("octo-" + type, new() { Timeout = 30_000 });

        var user = (await server.Client().ListUsersAsync()).Single(u => u.Name == "octo-" + type);
        user.Groups.ShouldBe(["openeuler", "src-openeuler"]);
        user.Email.ShouldBe("octo@example.org");
        forge.Refusals.ShouldBe(0);
    }

    [Fact]
    public async Task A_provider_setting_that_cannot_work_stops_the_server_naming_the_setting()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        await server.Process.StopAsync();
        var environment = new Dictionary<string, string?>(server.Environment)
        {
            ["Forgeline__Accounts__Providers__corp__Type"] = "saml",
            ["Forgeline__Accounts__Providers__sso__Issuer"] = "http://sso.example.org",
            ["Forgeline__Accounts__Providers__sso__ClientId"] = "x",
            ["Forgeline__Accounts__Providers__sso__ClientSecret"] = "env:NOT_SET_ANYWHERE",
        };
        await using var refused = ForgelineProcess.Start(["server", "--urls", $"http://127.0.0.1:{ForgelineServer.FreePort()}", "--no-worker"], environment);
        (await refused.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldNotBe(0);
        refused.Output.ShouldContain("Forgeline:Accounts:Providers:corp:Type must be one of oidc, github, gitee");
        refused.Output.ShouldContain("Forgeline:Accounts:Providers:sso:Issuer is plain http");
        refused.Output.ShouldContain("NOT_SET_ANYWHERE, which is not set");
    }

    [Theory]
    [InlineData(IdTokenForgery.ForeignKey)]
    [InlineData(IdTokenForgery.OtherAudience)]
    [InlineData(IdTokenForgery.Expired)]
    [InlineData(IdTokenForgery.Unsigned)]
    public async Task A_forged_ID_token_claiming_admin_is_refused_and_nobody_is_signed_in(IdTokenForgery forgery)
    {
        await using var provider = await ForgingOidcProvider.StartAsync(forgery);
        var prefix = "Forgeline__Accounts__Providers__evil__";
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?>
        {
            [prefix + "Issuer"] = provider.Issuer,
            [prefix + "ClientId"] = ForgingOidcProvider.ClientId,
            [prefix + "ClientSecret"] = "x",
            [prefix + "RequireHttps"] = "false",
            [prefix + "UseUserInfo"] = "false",
        });
        using var handler = new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = true };
        using var browser = new HttpClient(handler) { BaseAddress = server.Url };
        using var answer = await browser.GetAsync("/account/signin/evil");
        answer.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/account/signin");
        (await answer.Content.ReadAsStringAsync()).ShouldContain("the sign-in did not complete");
        handler.CookieContainer.GetCookies(server.Url).Cast<System.Net.Cookie>().ShouldNotContain(c => c.Name == "forgeline.session");
        (await server.Client().ListUsersAsync()).ShouldNotContain(u => u.Name == "admin" || u.Name == "mallory");
    }

    [Fact]
    public async Task Behind_a_TLS_proxy_the_public_url_makes_https_redirect_uris_and_secure_cookies()
    {
        await using var provider = await ForgingOidcProvider.StartAsync(IdTokenForgery.ForeignKey);
        var prefix = "Forgeline__Accounts__Providers__sso__";
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?>
        {
            ["Forgeline__Accounts__PublicUrl"] = "https://build.example.org",
            [prefix + "Issuer"] = provider.Issuer,
            [prefix + "ClientId"] = ForgingOidcProvider.ClientId,
            [prefix + "ClientSecret"] = "x",
            [prefix + "RequireHttps"] = "false",
        });
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Url };
        using var challenge = await http.GetAsync("/account/signin/sso");
        var location = challenge.Headers.Location!.ToString();
        location.ShouldStartWith(provider.Issuer + "/authorize?");
        Uri.UnescapeDataString(location).ShouldContain("redirect_uri=https://build.example.org/signin-oidc/sso");
        challenge.Headers.GetValues("Set-Cookie").ShouldAllBe(c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }
}
