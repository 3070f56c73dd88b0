using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Forgeline.Testing;
using Microsoft.Playwright;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// The test OpenID provider itself (LemonLDAP::NG from Debian), as the sign-in tests use it: Chromium signs in through
/// its real login form and the code flow with PKCE returns an RS256 ID token whose groups claim tells a sig-release
/// member from a user outside it. The relying party's side is played here by Playwright (catching the redirect) and
/// HttpClient (the token request), so the provider is checked apart from Forgeline's own OIDC code.
/// </summary>
public sealed class OidcProviderTests : IAsyncLifetime
{
    private readonly string redirectUri = $"http://127.0.0.1:9/signin-oidc/{Guid.NewGuid():N}";
    private OidcProvider provider = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        provider = await OidcProvider.StartAsync([redirectUri, "http://127.0.0.1:9/other"], "http://127.0.0.1:9/signed-out");
        playwright = await Playwright.CreateAsync();
        browser = await DebianChromium.LaunchAsync(playwright);
    }

    public async Task DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await provider.DisposeAsync();
    }

    [Fact]
    public async Task A_browser_signs_in_through_the_login_form_and_the_ID_token_lists_the_users_groups()
    {
        var member = await SignInAsync(OidcProvider.SigReleaseMember);
        member.GetProperty("iss").GetString().ShouldBe(provider.Issuer);
        member.GetProperty("sub").GetString().ShouldBe("dwho");
        member.GetProperty("preferred_username").GetString().ShouldBe("dwho");
        member.GetProperty("email").GetString().ShouldBe(OidcProvider.SigReleaseMember.Email);
        member.GetProperty("name").GetString().ShouldBe(OidcProvider.SigReleaseMember.Name);
        Groups(member).ShouldBe(OidcProvider.SigReleaseMember.Groups, ignoreOrder: true);
        Groups(member).ShouldContain(OidcProvider.SigReleaseGroup);

        var outsider = await SignInAsync(OidcProvider.NotInSigRelease);
        outsider.GetProperty("preferred_username").GetString().ShouldBe("rtyler");
        Groups(outsider).ShouldBe(OidcProvider.NotInSigRelease.Groups, ignoreOrder: true);
        Groups(outsider).ShouldNotContain(OidcProvider.SigReleaseGroup);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_login_form_again_and_never_reaches_the_redirect_uri()
    {
        var page = await browser.NewPageAsync();
        var reached = false;
        await page.RouteAsync(url => url.StartsWith(redirectUri, StringComparison.Ordinal), async route =>
        {
            reached = true;
            await route.FulfillAsync(new() { Body = "signed in" });
        });
        await page.GotoAsync(AuthorizeUrl(Pkce.Create(), "st", "n"));
        await page.FillAsync(OidcProvider.UserFieldSelector, "dwho");
        await page.FillAsync(OidcProvider.PasswordFieldSelector, "not-the-password");
        await page.ClickAsync(OidcProvider.SubmitButtonSelector);
        await Assertions.Expect(page.Locator(OidcProvider.PasswordFieldSelector)).ToBeVisibleAsync();
        // The portal says why: message 5 is PE_BADCREDENTIALS.
        await Assertions.Expect(page.Locator("#errormsg [trmsg=\"5\"]")).ToBeAttachedAsync();
        reached.ShouldBeFalse();
        page.Url.ShouldStartWith(provider.Issuer);
    }

    /// <summary>Runs the code flow as a browser and a confidential client would; returns the verified ID token's claims.</summary>
    private async Task<JsonElement> SignInAsync(OidcTestUser user)
    {
        var pkce = Pkce.Create();
        var state = Guid.NewGuid().ToString("N");
        var nonce = Guid.NewGuid().ToString("N");
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var callback = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(url => url.StartsWith(redirectUri, StringComparison.Ordinal), async route =>
        {
            callback.TrySetResult(route.Request.Url);
            await route.FulfillAsync(new() { Body = "signed in" });
        });

        await page.GotoAsync(AuthorizeUrl(pkce, state, nonce));
        await page.FillAsync(OidcProvider.UserFieldSelector, user.Login);
        await page.FillAsync(OidcProvider.PasswordFieldSelector, user.Password);
        await page.ClickAsync(OidcProvider.SubmitButtonSelector);
        var url = new Uri(await callback.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        query["state"].ShouldBe(state);
        var code = query["code"].ShouldNotBeNull();
        (await context.CookiesAsync([provider.Issuer])).Select(c => c.Name).ShouldContain(OidcProvider.SessionCookieName);

        using var http = new HttpClient();
        using var discovery = JsonDocument.Parse(await http.GetStringAsync(provider.DiscoveryUrl));
        var tokenEndpoint = discovery.RootElement.GetProperty("token_endpoint").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = redirectUri,
                ["code_verifier"] = pkce.Verifier,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{provider.ClientId}:{provider.ClientSecret}")));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        using var tokens = JsonDocument.Parse(body);
        var idToken = tokens.RootElement.GetProperty("id_token").GetString()!;

        using var jwks = JsonDocument.Parse(await http.GetStringAsync(discovery.RootElement.GetProperty("jwks_uri").GetString()));
        var claims = VerifyRs256(idToken, jwks.RootElement.GetProperty("keys")[0]);
        claims.GetProperty("nonce").GetString().ShouldBe(nonce);
        claims.GetProperty("aud").EnumerateArray().Select(a => a.GetString()).ShouldContain(provider.ClientId);
        return claims;
    }

    private string AuthorizeUrl(Pkce pkce, string state, string nonce) =>
        $"{provider.Issuer}/oauth2/authorize?response_type=code&client_id={provider.ClientId}&redirect_uri={Uri.EscapeDataString(redirectUri)}" +
        $"&scope={Uri.EscapeDataString("openid profile email")}&state={state}&nonce={nonce}&code_challenge={pkce.Challenge}&code_challenge_method=S256";

    private static string[] Groups(JsonElement claims) => claims.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToArray();

    private static JsonElement VerifyRs256(string jwt, JsonElement key)
    {
        var parts = jwt.Split('.');
        parts.Length.ShouldBe(3);
        using var header = JsonDocument.Parse(Base64Url(parts[0]));
        header.RootElement.GetProperty("alg").GetString().ShouldBe("RS256");
        header.RootElement.GetProperty("kid").GetString().ShouldBe(key.GetProperty("kid").GetString());
        using var rsa = RSA.Create(new RSAParameters
        {
            Modulus = Base64Url(key.GetProperty("n").GetString()!),
            Exponent = Base64Url(key.GetProperty("e").GetString()!),
        });
        rsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .ShouldBeTrue("the ID token's signature must verify with the provider's JWKS key");
        return JsonDocument.Parse(Base64Url(parts[1])).RootElement.Clone();
    }

    private static byte[] Base64Url(string s)
    {
        var padded = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }

    private sealed record Pkce(string Verifier, string Challenge)
    {
        public static Pkce Create()
        {
            var verifier = Core.Pkce.NewVerifier();
            return new Pkce(verifier, Core.Pkce.ChallengeOf(verifier));
        }
    }
}
