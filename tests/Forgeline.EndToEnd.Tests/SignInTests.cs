using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Forgeline.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// Signing in to Forgeline through a real OpenID provider in Chromium: users and groups from the ID token, sign-out,
/// sessions the server ends whatever the cookie says, CSRF, personal tokens revoked at once, and <c>forgeline login</c>.
/// </summary>
public sealed class SignInTests(SignInFixture fixture, ITestOutputHelper output) : IClassFixture<SignInFixture>
{
    private ForgelineServer Server => fixture.Server;

    [Fact]
    public async Task A_member_signs_in_through_the_providers_form_and_sees_their_name_and_groups_then_signs_out()
    {
        var page = await fixture.NewPageAsync();
        var clock = Stopwatch.StartNew();
        await fixture.SignInAsync(page, OidcProvider.SigReleaseMember);
        output.WriteLine($"sign-in round trip (Forgeline page -> provider form -> back, Chromium): {clock.ElapsedMilliseconds} ms");
        page.Url.ShouldBe(Server.Url.ToString());

        await page.ClickAsync("#account-link");
        await Assertions.Expect(page.Locator("#groups")).ToContainTextAsync(OidcProvider.SigReleaseGroup);
        (await page.ContentAsync()).ShouldContain(OidcProvider.SigReleaseMember.Email);
        var cookies = await page.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "forgeline.session");
        session.HttpOnly.ShouldBeTrue();
        session.SameSite.ShouldBe(SameSiteAttribute.Lax);

        await page.ClickAsync("#signout");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();

        // The old cookie, replayed after sign-out, is refused: the server ended the session.
        var replay = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.Url.ToString() });
        await replay.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = session.Name, Value = session.Value, Domain = session.Domain, Path = session.Path }]);
        var again = await replay.NewPageAsync();
        await again.GotoAsync("/account");
        again.Url.ShouldContain("/account/signin");
    }

    [Fact]
    public async Task Groups_come_from_the_providers_claim_and_a_user_outside_a_group_is_not_in_it()
    {
        var page = await fixture.NewPageAsync();
        await fixture.SignInAsync(page, OidcProvider.NotInSigRelease);
        using var admin = Server.Client();
        var users = await admin.ListUsersAsync();
        var outsider = users.Single(u => u.Name == OidcProvider.NotInSigRelease.Login);
        outsider.Groups.ShouldBe(OidcProvider.NotInSigRelease.Groups.Order(StringComparer.Ordinal).ToList());
        outsider.Groups.ShouldNotContain(OidcProvider.SigReleaseGroup);
        var (code, stdout, _) = await Server.CliAsync("group", "list");
        code.ShouldBe(0);
        stdout.ShouldContain(OidcProvider.NotInSigRelease.Groups[0]);
        stdout.ShouldContain($"{OidcProvider.NotInSigRelease.Login} ({SignInFixture.ProviderName})");
    }

    [Fact]
    public async Task A_tampered_or_expired_session_cookie_is_treated_as_signed_out()
    {
        var page = await fixture.NewPageAsync();
        await fixture.SignInAsync(page, OidcProvider.Users.Single(u => u.Login == "msmith"));
        var session = (await page.Context.CookiesAsync()).Single(c => c.Name == "forgeline.session");

        var tampered = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.Url.ToString() });
        var flipped = session.Value[..^2] + (session.Value[^2] == 'A' ? 'B' : 'A') + session.Value[^1];
        await tampered.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = session.Name, Value = flipped, Domain = session.Domain, Path = session.Path }]);
        var tamperedPage = await tampered.NewPageAsync();
        await tamperedPage.GotoAsync("/account");
        tamperedPage.Url.ShouldContain("/account/signin");

        await page.GotoAsync("/account");
        page.Url.ShouldEndWith("/account");
        await ExpireSessionsAsync("msmith");
        await page.GotoAsync("/account");
        page.Url.ShouldContain("/account/signin");
    }

    [Fact]
    public async Task A_change_sent_with_the_session_cookie_but_without_the_CSRF_token_is_refused()
    {
        var page = await fixture.NewPageAsync();
        await fixture.SignInAsync(page, OidcProvider.SigReleaseMember);
        var forged = await page.APIRequest.PostAsync("/account/signout");
        forged.Status.ShouldBe(400);
        (await forged.TextAsync()).ShouldContain("CSRF token");
        var tokenWithoutCsrf = await page.APIRequest.PostAsync("/api/v1/tokens", new() { DataObject = new { name = "sneaky", scopes = new[] { "build" } } });
        tokenWithoutCsrf.Status.ShouldBe(400);
        await page.GotoAsync("/account");
        page.Url.ShouldEndWith("/account", customMessage: "the refused sign-out left the session alone");
    }

    [Fact]
    public async Task A_personal_token_made_in_the_browser_acts_as_the_user_and_stops_working_the_moment_it_is_revoked()
    {
        var page = await fixture.NewPageAsync();
        await fixture.SignInAsync(page, OidcProvider.SigReleaseMember);
        await page.GotoAsync("/account");
        var name = "laptop-" + Guid.NewGuid().ToString("N")[..6];
        await page.FillAsync("#token-name", name);
        await page.ClickAsync("#create-token");
        var secret = (await page.Locator("#new-token").TextContentAsync())!.Trim();

        using var http = new HttpClient { BaseAddress = Server.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var me = await http.GetStringAsync("/api/v1/me");
        me.ShouldContain("\"name\": \"dwho\"");
        me.ShouldContain(OidcProvider.SigReleaseGroup);
        (await http.PostAsync("/api/v1/groups", JsonContent.Create(new { name = "not-allowed" }))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await page.Locator("tr", new() { HasText = name }).Locator("button.revoke").ClickAsync();
        (await http.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_notifications_page_lists_what_happened_to_the_users_own_projects_and_not_to_others()
    {
        var page = await fixture.NewPageAsync();
        await fixture.SignInAsync(page, OidcProvider.SigReleaseMember);
        await page.GotoAsync("/account");
        await page.FillAsync("#token-name", "notes-" + Guid.NewGuid().ToString("N")[..6]);
        await page.ClickAsync("#create-token");
        var secret = (await page.Locator("#new-token").TextContentAsync())!.Trim();
        var project = "dwhos-" + Guid.NewGuid().ToString("N")[..6];
        await Server.Client(secret).CreateProjectAsync(new Core.Projects.CreateProjectRequest(project));

        await page.ClickAsync("#notifications-link");
        var row = page.Locator("#notifications tr", new() { HasText = $"projects/{project}" });
        await Assertions.Expect(row).ToContainTextAsync("project created");
        await row.Locator("a").ClickAsync();
        page.Url.ShouldEndWith($"/projects/{project}");

        var other = await fixture.NewPageAsync();
        await fixture.SignInAsync(other, OidcProvider.NotInSigRelease);
        await other.GotoAsync("/account/notifications");
        (await other.ContentAsync()).ShouldNotContain(project);
    }

    [Fact]
    public async Task Bad_login_requests_and_personal_tokens_beyond_the_users_rights_get_clear_answers()
    {
        var page = await fixture.NewPageAsync();
        await fixture.SignInAsync(page, OidcProvider.SigReleaseMember);
        await page.GotoAsync("/account/cli?port=80&state=abcdefgh&codechallenge=" + new string('a', 43));
        await Assertions.Expect(page.Locator("#cli-error")).ToContainTextAsync("port");
        await page.GotoAsync("/account/cli?port=40000&state=abcdefgh&codechallenge=short");
        await Assertions.Expect(page.Locator("#cli-error")).ToContainTextAsync("PKCE challenge");
        await Assertions.Expect(page.Locator("#approve")).ToHaveCountAsync(0);

        using var anonymous = new HttpClient { BaseAddress = Server.Url };
        using var exchange = await anonymous.PostAsJsonAsync("/api/v1/login/token", new { code = "flc_made-up", verifier = Core.Pkce.NewVerifier() });
        exchange.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await exchange.Content.ReadAsStringAsync()).ShouldContain("run 'forgeline login' again");

        await page.GotoAsync("/account");
        await page.FillAsync("#token-name", "base-" + Guid.NewGuid().ToString("N")[..6]);
        await page.ClickAsync("#create-token");
        var secret = (await page.Locator("#new-token").TextContentAsync())!.Trim();
        using var personal = new HttpClient { BaseAddress = Server.Url };
        personal.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var beyond = await personal.PostAsJsonAsync("/api/v1/tokens", new { name = "escalate", scopes = new[] { "admin" } });
        beyond.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await beyond.Content.ReadAsStringAsync()).ShouldContain("cannot have more rights than you");
        using var foreignOwner = await personal.PostAsJsonAsync("/api/v1/tokens", new { name = "borrow", scopes = new[] { "build" }, owner = "someone-else" });
        foreignOwner.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await page.GotoAsync("/account");
        await page.FillAsync("#token-name", "bad name!");
        await page.EvalOnSelectorAsync("#token-name", "e => e.removeAttribute('pattern')");
        await page.ClickAsync("#create-token");
        await Assertions.Expect(page.Locator("#token-error")).ToContainTextAsync("name must be");
    }

    [Fact]
    public async Task Forgeline_login_without_a_token_signs_in_through_the_browser_and_saves_a_personal_token()
    {
        var page = await fixture.NewPageAsync();
        await fixture.SignInAsync(page, OidcProvider.SigReleaseMember);
        var config = Server.Home["cli-login"];
        var environment = new Dictionary<string, string?>(Server.Environment) { ["XDG_CONFIG_HOME"] = config };
        await using var login = ForgelineProcess.Start(["login", "--server", Server.Url.ToString(), "--no-browser", "--timeout", "120"], environment);
        await login.WaitForOutputAsync("/account/cli?", TimeSpan.FromSeconds(60));
        var url = login.Output.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/account/cli?", StringComparison.Ordinal));

        await page.GotoAsync(url);
        await page.ClickAsync("#approve");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Signed in");
        (await login.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, login.Output);
        login.Output.ShouldContain("as dwho");
        (await File.ReadAllTextAsync(Path.Combine(config, "forgeline", "config.json"))).ShouldContain("flt_");
    }

    [Fact]
    public async Task A_callback_with_a_wrong_state_and_an_unknown_provider_get_clear_answers_not_errors()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/signin-oidc/{SignInFixture.ProviderName}?code=abc&state=not-ours");
        page.Url.ShouldContain("/account/signin?error=");
        await Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("the sign-in did not complete");

        using var http = new HttpClient { BaseAddress = Server.Url };
        using var signInPage = await http.GetAsync("/account/signin");
        signInPage.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        var unknown = await http.GetAsync("/account/signin/nope");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain(SignInFixture.ProviderName);
    }

    // Sessions live in the server's database: ending them there is what a long wait would do, without the wait.
    private async Task ExpireSessionsAsync(string user)
    {
        await using var connection = new SqliteConnection($"Data Source={Server.Home["data/forgeline.db"]}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """UPDATE "user_sessions" SET "ExpiresAt" = '2000-01-01 00:00:00' WHERE "UserId" = (SELECT "Id" FROM "users" WHERE "Name" = $user)""";
        command.Parameters.AddWithValue("$user", user);
        (await command.ExecuteNonQueryAsync()).ShouldBeGreaterThan(0);
    }
}
