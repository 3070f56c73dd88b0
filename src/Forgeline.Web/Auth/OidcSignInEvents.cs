using System.Security.Claims;
using Forgeline.Accounts;
using Forgeline.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Web.Auth;

/// <summary>
/// After the provider's ID token was validated by the OpenID Connect handler (signature, issuer, audience, nonce, expiry):
/// maps its claims to a Forgeline user, starts a server-side session and puts only the session secret in the cookie.
/// </summary>
public sealed partial class OidcSignInEvents(ProviderSignIn signIn, SessionService sessions, IOptions<AccountsOptions> options, ILogger<OidcSignInEvents> logger)
    : OpenIdConnectEvents
{
    /// <inheritdoc />
    public override async Task TicketReceived(TicketReceivedContext context)
    {
        var provider = context.Scheme.Name["oidc-".Length..];
        var settings = options.Value.Providers[provider];
        var claims = context.Principal!;
        var subject = claims.FindFirst("sub")?.Value;
        if (subject is null)
        {
            Fail(context, $"the provider '{provider}' sent no 'sub' claim");
            return;
        }

        var groups = settings.GroupsClaim is { Length: > 0 } groupsClaim ? GroupsFrom(claims, groupsClaim) : null;
        var identity = new ProviderIdentity(provider, subject, claims.FindFirst(settings.UsernameClaim)?.Value,
            claims.FindFirst(settings.EmailClaim)?.Value, claims.FindFirst(settings.NameClaim)?.Value, groups);
        var user = await signIn.SignInAsync(identity, context.HttpContext.RequestAborted);
        if (!user.IsSuccess)
        {
            Fail(context, user.Message!);
            return;
        }

        var (secret, expires) = await sessions.StartAsync(user.Value!.Id, provider, context.HttpContext.RequestAborted);
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Value.Name), new Claim(ForgelineClaims.Session, secret)], AuthServiceCollectionExtensions.SessionScheme));
        context.Properties!.ExpiresUtc = expires;
        context.Properties.IsPersistent = true;
        LogSignedIn(user.Value.Name, provider);
    }

    /// <inheritdoc />
    public override Task RemoteFailure(RemoteFailureContext context)
    {
        // A wrong or replayed state, a provider error, a bad ID token: back to the sign-in page with the reason, not a 500.
        LogFailed(context.Scheme.Name, context.Failure?.Message ?? "unknown");
        context.Response.Redirect("/account/signin?error=" + Uri.EscapeDataString("the sign-in did not complete: " + (context.Failure?.Message ?? "unknown error")));
        context.HandleResponse();
        return Task.CompletedTask;
    }

    private void Fail(TicketReceivedContext context, string message)
    {
        LogFailed(context.Scheme.Name, message);
        context.Response.Redirect("/account/signin?error=" + Uri.EscapeDataString(message));
        context.HandleResponse();
    }

    // A groups claim is an array in the ID token (one claim per value) or, from some providers, one space- or comma-separated string.
    private static List<string> GroupsFrom(ClaimsPrincipal claims, string type) =>
        claims.FindAll(type).SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(g => g.TrimStart('/')).Distinct(StringComparer.Ordinal).ToList();

    [LoggerMessage(Level = LogLevel.Information, Message = "User {User} signed in through {Provider}")]
    private partial void LogSignedIn(string user, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in through {Scheme} failed: {Reason}")]
    private partial void LogFailed(string scheme, string reason);
}
