using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Forgeline.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing;

/// <summary>How <see cref="ForgingOidcProvider"/> spoils the ID token it hands out.</summary>
public enum IdTokenForgery
{
    /// <summary>Signed with a key the provider does not publish.</summary>
    ForeignKey,

    /// <summary>Properly signed, but for another client (<c>aud</c>).</summary>
    OtherAudience,

    /// <summary>Properly signed, but expired an hour ago.</summary>
    Expired,

    /// <summary>No signature at all (<c>alg: none</c>).</summary>
    Unsigned,
}

/// <summary>
/// A hostile OpenID provider for tests, where a real one will not misbehave: discovery, JWKS, an authorization endpoint
/// that approves at once and a token endpoint whose ID token is forged in one way (<see cref="IdTokenForgery"/>), everything
/// else correct (issuer, nonce, times). A relying party must refuse every such token.
/// </summary>
public sealed class ForgingOidcProvider : IAsyncDisposable
{
    private static readonly string[] Codes = ["code"];
    private static readonly string[] Public = ["public"];
    private static readonly string[] Rs256 = ["RS256"];
    private static readonly string[] AdminGroup = ["forgeline-admins"];
    private readonly WebApplication app;
    private readonly RSA published = RSA.Create(2048);
    private readonly RSA foreign = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, string> nonces = new();

    private ForgingOidcProvider(WebApplication app, IdTokenForgery forgery)
    {
        this.app = app;
        Forgery = forgery;
    }

    /// <summary>The client id it expects.</summary>
    public const string ClientId = "forgeline";

    /// <summary>How it forges.</summary>
    public IdTokenForgery Forgery { get; }

    /// <summary>Its issuer URL.</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>Starts it on a random loopback port.</summary>
    public static async Task<ForgingOidcProvider> StartAsync(IdTokenForgery forgery)
    {
        var fake = new ForgingOidcProvider(LoopbackWebApp.Create(), forgery);
        fake.Map();
        fake.Issuer = (await LoopbackWebApp.StartAsync(fake.app)).ToString().TrimEnd('/');
        return fake;
    }

    private void Map()
    {
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer, ["authorization_endpoint"] = Issuer + "/authorize", ["token_endpoint"] = Issuer + "/token",
            ["jwks_uri"] = Issuer + "/jwks", ["response_types_supported"] = Codes, ["subject_types_supported"] = Public,
            ["id_token_signing_alg_values_supported"] = Rs256,
        }));
        app.MapGet("/jwks", () =>
        {
            var p = published.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "published", n = Base64Url.Encode(p.Modulus!), e = Base64Url.Encode(p.Exponent!) } } });
        });
        app.MapGet("/authorize", (HttpContext c) =>
        {
            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
            nonces[code] = c.Request.Query["nonce"].ToString();
            return Results.Redirect($"{c.Request.Query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(c.Request.Query["state"].ToString())}");
        });
        app.MapPost("/token", async (HttpContext c) =>
        {
            var form = await c.Request.ReadFormAsync();
            nonces.TryRemove(form["code"].ToString(), out var nonce);
            return Results.Json(new { access_token = "at", token_type = "Bearer", expires_in = 300, id_token = IdToken(nonce ?? "") });
        });
    }

    private string IdToken(string nonce)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - (Forgery == IdTokenForgery.Expired ? 7200 : 0);
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["sub"] = "mallory", ["aud"] = Forgery == IdTokenForgery.OtherAudience ? "someone-else" : ClientId,
            ["iat"] = now, ["nbf"] = now, ["exp"] = now + 600, ["nonce"] = nonce, ["preferred_username"] = "admin", ["groups"] = AdminGroup,
        };
        var header = Forgery == IdTokenForgery.Unsigned ? "{\"alg\":\"none\",\"typ\":\"JWT\"}" : "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"published\"}";
        var signed = Base64Url.Encode(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        if (Forgery == IdTokenForgery.Unsigned)
        {
            return signed + ".";
        }

        var key = Forgery == IdTokenForgery.ForeignKey ? foreign : published;
        return signed + "." + Base64Url.Encode(key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        published.Dispose();
        foreign.Dispose();
    }
}
