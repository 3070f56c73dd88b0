namespace Forgeline.Core.Accounts;

/// <summary>
/// Claim types of a Forgeline principal, whether it came from an API token or a browser session. The name is
/// <c>ClaimTypes.Name</c>; what it may do is in <c>scope</c> claims.
/// </summary>
public static class ForgelineClaims
{
    /// <summary>A group the principal belongs to (one claim per group); projects, keys and events grant by group too.</summary>
    public const string Group = "forgeline:group";

    /// <summary>Who the principal's builds belong to in the queue (a user or a group).</summary>
    public const string Owner = "forgeline:owner";

    /// <summary>The API token presented, for the audit trail (absent for browser sessions).</summary>
    public const string Token = "forgeline:token";

    /// <summary>Set when the principal is a signed-in person (a browser session or a personal token), not a service token.</summary>
    public const string UserId = "forgeline:user";

    /// <summary>The browser session secret inside the cookie.</summary>
    public const string Session = "forgeline:session";
}
