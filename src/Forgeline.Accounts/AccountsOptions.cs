using System.ComponentModel.DataAnnotations;

namespace Forgeline.Accounts;

/// <summary>Sign-in and sessions, bound from <c>Forgeline:Accounts</c> (env <c>Forgeline__Accounts__*</c>).</summary>
public sealed class AccountsOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Forgeline:Accounts";

    /// <summary>OpenID Connect providers people sign in with, by name (the name appears in URLs: <c>/account/signin/NAME</c>).</summary>
    public Dictionary<string, OidcProviderOptions> Providers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The URL people reach Forgeline at, e.g. <c>https://build.example.org</c>, when a proxy or ingress terminates TLS in
    /// front of it: every request is then taken to have arrived there, so redirect URIs sent to providers are that URL's
    /// and cookies are <c>Secure</c>. Unset, the request's own scheme and host count.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Members of this group are server admins (the group may come from a provider's groups claim).</summary>
    [Required]
    public string AdminGroup { get; set; } = "forgeline-admins";

    /// <summary>Hours a browser session lasts after sign-in.</summary>
    [Range(0.01, 24 * 90)]
    public double SessionHours { get; set; } = 12;

    /// <summary>Seconds a <c>forgeline login</c> code stays valid after the user approved it.</summary>
    [Range(10, 3600)]
    public int LoginCodeSeconds { get; set; } = 120;
}
