using System.Security.Claims;
using Forgeline.Accounts;
using Forgeline.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Web.Auth;

/// <summary>
/// The end of every provider's sign-in, OpenID Connect or OAuth: maps the provider's claims (already validated by the
/// ASP.NET Core handler) to a Forgeline user, starts a server-side session and puts only the session secret in the cookie.
/// </summary>
public sealed partial class ExternalSignIn(ProviderSignIn signIn, SessionService sessions, IOptions<AccountsOptions> options, ILogger<ExternalSignIn> logger)
{
    /// <summary>Completes a sign-in whose ticket the handler accepted.</summary>
    public async Task CompleteAsync(TicketReceivedContext context)
    {
        var provider = OidcProviders.ProviderOf(context.Scheme.Name);
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

    /// <summary>
    /// A wrong or replayed state, a provider error, a bad or wrongly signed token: back to the sign-in page with the
    /// reason, not a 500.
    /// </summary>
    public Task FailAsync(RemoteFailureContext context)
    {
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
