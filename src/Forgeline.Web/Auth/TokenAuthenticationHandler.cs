using System.Security.Claims;
using Forgeline.Accounts;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Web.Auth;

/// <summary>Authenticates <c>Authorization: Bearer flt_…</c> against the stored token hashes; answers 401/403 as ProblemDetails.</summary>
public sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "Token";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        string secret;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            secret = header["Bearer ".Length..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && BasicPassword(header["Basic ".Length..].Trim()) is { } password)
        {
            // dnf and curl speak Basic: the password is the token (a private project's repository file sets password=).
            secret = password;
        }
        else
        {
            return AuthenticateResult.Fail("the Authorization header must be 'Bearer <token>' (or Basic with the token as password)");
        }

        var tokens = Context.RequestServices.GetRequiredService<TokenService>();
        var token = await tokens.FindAsync(secret, Context.RequestAborted);
        if (token is null)
        {
            return AuthenticateResult.Fail("the token is unknown or revoked");
        }

        ClaimsPrincipal principal;
        if (token.UserId is { } userId)
        {
            // A personal token: the user's rights and groups now, so leaving a group or being disabled counts at once.
            var account = await Context.RequestServices.GetRequiredService<UserDirectory>().AccountAsync(userId, Context.RequestAborted);
            if (account is null)
            {
                return AuthenticateResult.Fail("the token's user is disabled");
            }

            principal = ForgelinePrincipals.ForAccount(account, SchemeName, token);
        }
        else
        {
            principal = ForgelinePrincipals.ForServiceToken(token, SchemeName);
        }

        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private static string? BasicPassword(string encoded)
    {
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 ? text[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await Results.Problem(
            title: "Authentication required",
            detail: (failure ?? "this call needs an API token") + "; log in with 'forgeline login --token …' or send 'Authorization: Bearer <token>'",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem(
            title: "Not allowed",
            detail: "the token lacks the scope this call needs; ask an admin for a token with it (forgeline token create --scope …)",
            statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(Context);
}
