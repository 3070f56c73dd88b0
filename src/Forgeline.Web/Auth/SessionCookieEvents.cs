using Forgeline.Accounts;
using Forgeline.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Web.Auth;

/// <summary>
/// Checks the session cookie against the server's session on every request and rebuilds the principal from the database,
/// so signing out, expiry, a disabled user or a changed group takes effect at once, whatever the cookie still says.
/// </summary>
public sealed class SessionCookieEvents(SessionService sessions, UserDirectory directory) : CookieAuthenticationEvents
{
    /// <inheritdoc />
    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var secret = context.Principal?.FindFirst(ForgelineClaims.Session)?.Value;
        var userId = await sessions.UserOfAsync(secret, context.HttpContext.RequestAborted);
        var account = userId is { } id ? await directory.AccountAsync(id, context.HttpContext.RequestAborted) : null;
        if (account is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthServiceCollectionExtensions.SessionScheme);
            return;
        }

        context.ReplacePrincipal(ForgelinePrincipals.ForAccount(account, AuthServiceCollectionExtensions.SessionScheme, session: secret));
    }

    /// <inheritdoc />
    public override Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context) =>
        IsPage(context.Request) ? base.RedirectToLogin(context) : context.HttpContext.ChallengeAsync(TokenAuthenticationHandler.SchemeName);

    /// <inheritdoc />
    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (!IsPage(context.Request))
        {
            return context.HttpContext.ForbidAsync(TokenAuthenticationHandler.SchemeName);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    /// <summary>Whether a person in a browser asked (who should be sent to sign in) rather than a program (who gets 401).</summary>
    public static bool IsPage(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        return !(path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/repos/", StringComparison.Ordinal)
                 || path.StartsWith("/hooks/", StringComparison.Ordinal) || path.StartsWith("/openapi/", StringComparison.Ordinal));
    }
}
