namespace Forgeline.Accounts;

/// <summary>The kinds of sign-in provider (<see cref="OidcProviderOptions.Type"/>).</summary>
public static class ProviderTypes
{
    /// <summary>OpenID Connect: discovery, ID token, JWKS.</summary>
    public const string Oidc = "oidc";

    /// <summary>GitHub's OAuth apps (or GitHub Enterprise): no ID token; the user from <c>/user</c>, groups from <c>/user/orgs</c>.</summary>
    public const string GitHub = "github";

    /// <summary>Gitee's OAuth applications: as GitHub, with Gitee's API v5.</summary>
    public const string Gitee = "gitee";

    /// <summary>Every type.</summary>
    public static readonly IReadOnlyList<string> All = [Oidc, GitHub, Gitee];
}
