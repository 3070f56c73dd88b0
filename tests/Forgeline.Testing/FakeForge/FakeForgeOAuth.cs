using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Forgeline.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing;

/// <summary>A forge account the fake signs in as.</summary>
public sealed record FakeForgeAccount(long Id, string Login, string? Name, string? Email, IReadOnlyList<string> Organizations);

/// <summary>
/// A fake of GitHub's and Gitee's OAuth 2.0 web flow for sign-in tests, following their documented contracts (not the real
/// services, which cannot be reached here). GitHub: <c>GET /login/oauth/authorize</c> (a page with an Authorize button),
/// <c>POST /login/oauth/access_token</c> (JSON when asked, PKCE S256 checked when a challenge was sent), and the REST
/// API's <c>GET /user</c> and <c>GET /user/orgs</c> with <c>Authorization: Bearer</c>. Gitee under <c>/gitee</c>:
/// <c>/oauth/authorize</c>, <c>POST /oauth/token</c>, and <c>/api/v5/user</c>, <c>/api/v5/user/orgs</c> with the
/// <c>access_token</c> parameter. Codes work once, for the client and redirect URI they were issued to.
/// </summary>
public sealed class FakeForgeOAuth : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (string RedirectUri, string? Challenge)> codes = new();
    private readonly ConcurrentDictionary<string, bool> tokens = new();

    private FakeForgeOAuth(WebApplication app, FakeForgeAccount account)
    {
        this.app = app;
        Account = account;
    }

    /// <summary>The client id the fake accepts.</summary>
    public const string ClientId = "fake-client";

    /// <summary>The client secret the fake accepts.</summary>
    public const string ClientSecret = "fake-secret";

    /// <summary>GitHub's web and API root (both at the root of the fake).</summary>
    public Uri RootUrl { get; private set; } = null!;

    /// <summary>Gitee's web root (its API is under <c>api/v5</c>).</summary>
    public Uri GiteeUrl => new(RootUrl, "gitee/");

    /// <summary>Who signs in.</summary>
    public FakeForgeAccount Account { get; }

    /// <summary>Token requests refused so far (wrong secret, code, redirect URI or verifier).</summary>
    public int Refusals { get; private set; }

    /// <summary>Starts the fake on a random loopback port, signing everyone in as <paramref name="account"/>.</summary>
    public static async Task<FakeForgeOAuth> StartAsync(FakeForgeAccount account)
    {
        var app = LoopbackWebApp.Create();
        var fake = new FakeForgeOAuth(app, account);
        fake.Map("", "/login/oauth/authorize", "/login/oauth/access_token", "");
        fake.Map("/gitee", "/oauth/authorize", "/oauth/token", "/api/v5");
        fake.RootUrl = await LoopbackWebApp.StartAsync(app);
        return fake;
    }

    private void Map(string prefix, string authorize, string token, string api)
    {
        app.MapGet(prefix + authorize, (HttpContext context) =>
        {
            var q = context.Request.Query;
            if (q["client_id"] != ClientId || q["response_type"] is { Count: > 0 } type && type != "code" || string.IsNullOrEmpty(q["redirect_uri"]))
            {
                return Results.BadRequest("unknown client or missing redirect_uri");
            }

            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(10));
            codes[code] = (q["redirect_uri"]!, q["code_challenge"].FirstOrDefault());
            var target = $"{q["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(q["state"].ToString())}";
            // The forge's consent page: the user presses Authorize.
            return Results.Content($"<!DOCTYPE html><title>Authorize</title><p>Authorize {ClientId} for {Account.Login}?</p><a id=\"authorize\" href=\"{WebUtility.HtmlEncode(target)}\">Authorize</a>", "text/html");
        });
        app.MapPost(prefix + token, async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret || !codes.TryRemove(form["code"].ToString(), out var issued)
                || issued.RedirectUri != form["redirect_uri"] || issued.Challenge is { } challenge && challenge != Pkce.ChallengeOf(form["code_verifier"].ToString()))
            {
                Refusals++;
                return Results.Json(new { error = "bad_verification_code", error_description = "The code passed is incorrect or expired." });
            }

            var accessToken = "gho_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            tokens[accessToken] = true;
            return Results.Json(new { access_token = accessToken, token_type = "bearer", scope = "read:user,user:email,read:org" });
        });
        app.MapGet(prefix + api + "/user", (HttpContext context) => Authorized(context)
            ? Results.Json(new { id = Account.Id, login = Account.Login, name = Account.Name, email = Account.Email })
            : Results.Json(new { message = "Requires authentication" }, statusCode: 401));
        app.MapGet(prefix + api + "/user/orgs", (HttpContext context) => Authorized(context)
            ? Results.Json(Account.Organizations.Select((o, i) => new { id = i + 1, login = o }))
            : Results.Json(new { message = "Requires authentication" }, statusCode: 401));
    }

    private bool Authorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : context.Request.Query["access_token"].ToString();
        return tokens.ContainsKey(token);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
