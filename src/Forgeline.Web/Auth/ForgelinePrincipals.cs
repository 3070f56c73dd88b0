using System.Globalization;
using System.Security.Claims;
using Forgeline.Accounts;
using Forgeline.Core.Accounts;
using Forgeline.Data.Entities;

namespace Forgeline.Web.Auth;

/// <summary>The one place a request's principal is made, from a service token, a personal token or a browser session.</summary>
public static class ForgelinePrincipals
{
    /// <summary>What a user may do: admins everything; everyone else build (on the farm and in projects they are members of) and sign (with keys that allow them).</summary>
    public static IReadOnlyList<string> RightsOf(Account account) =>
        account.IsAdmin ? [Scopes.Admin, Scopes.Build, Scopes.Sign] : [Scopes.Build, Scopes.Sign];

    /// <summary>A service token acts under its own name, for its owner in the queue, with exactly its scopes.</summary>
    public static ClaimsPrincipal ForServiceToken(ApiTokenRecord token, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, token.Name), new(ForgelineClaims.Owner, token.Owner ?? token.Name), new(ForgelineClaims.Token, token.Name),
        };
        claims.AddRange(token.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => new Claim(Scopes.ClaimType, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>
    /// A person: a browser session (every right the user has) or a personal token (its scopes, but never more than the user's
    /// rights at this moment, so leaving the admin group takes admin from the user's tokens too).
    /// </summary>
    public static ClaimsPrincipal ForAccount(Account account, string scheme, ApiTokenRecord? token = null, string? session = null)
    {
        var rights = RightsOf(account);
        var scopes = token is null ? rights
            : token.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => rights.Contains(s) || (account.IsAdmin && Scopes.All.Contains(s))).ToList();
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.User.Name),
            // A stable id: antiforgery tokens are bound to it (without one they bind to every claim, scopes included).
            new(ClaimTypes.NameIdentifier, "user:" + account.User.Id.ToString(CultureInfo.InvariantCulture)),
            new(ForgelineClaims.UserId, account.User.Id.ToString(CultureInfo.InvariantCulture)),
            new(ForgelineClaims.Owner, token?.Owner ?? account.User.Name),
        };
        if (account.User.DisplayName is { Length: > 0 } displayName)
        {
            claims.Add(new Claim(ClaimTypes.GivenName, displayName));
        }

        if (token is not null)
        {
            claims.Add(new Claim(ForgelineClaims.Token, token.Name));
        }

        if (session is not null)
        {
            claims.Add(new Claim(ForgelineClaims.Session, session));
        }

        claims.AddRange(account.Groups.Select(g => new Claim(ForgelineClaims.Group, g)));
        claims.AddRange(scopes.Select(s => new Claim(Scopes.ClaimType, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The user id of a signed-in person (browser or personal token), or null for service tokens and anonymous callers.</summary>
    public static long? UserIdOf(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(ForgelineClaims.UserId)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The groups the principal acts for.</summary>
    public static IReadOnlyList<string> GroupsOf(this ClaimsPrincipal user) => user.FindAll(ForgelineClaims.Group).Select(c => c.Value).ToList();

    /// <summary>Every name the principal acts as: its name, its queue owner and its groups (what members, signers and subscriptions match).</summary>
    public static IReadOnlySet<string> NamesOf(this ClaimsPrincipal user)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (user.Identity?.IsAuthenticated == true)
        {
            names.Add(user.TokenName());
            names.Add(user.QueueOwner());
            names.UnionWith(user.GroupsOf());
        }

        return names;
    }

    /// <summary>The principal as a viewer: what it may see of private projects and their builds.</summary>
    public static Viewer ToViewer(this ClaimsPrincipal user) => new([.. user.NamesOf()], user.IsAdmin());

    /// <summary>Whether the principal holds the admin scope.</summary>
    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(Scopes.ClaimType, Scopes.Admin);
}
