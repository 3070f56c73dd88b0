namespace Forgeline.Accounts;

/// <summary>
/// One sign-in provider, <c>Forgeline:Accounts:Providers:NAME</c>: an OpenID Connect provider (Keycloak, LemonLDAP::NG,
/// GitLab …) or a forge that speaks plain OAuth 2.0 (GitHub, Gitee).
/// </summary>
public sealed class OidcProviderOptions
{
    /// <summary><c>oidc</c> (the default), <c>github</c> or <c>gitee</c>.</summary>
    public string Type { get; set; } = ProviderTypes.Oidc;

    /// <summary>For <c>github</c>/<c>gitee</c>: the web URL (default https://github.com, https://gitee.com; GitHub Enterprise: its URL).</summary>
    public string? WebUrl { get; set; }

    /// <summary>For <c>github</c>/<c>gitee</c>: the API URL (default https://api.github.com, https://gitee.com/api/v5).</summary>
    public string? ApiUrl { get; set; }

    /// <summary>For <c>github</c>/<c>gitee</c>: whether the user's organisations become their groups (default true).</summary>
    public bool OrganizationsAsGroups { get; set; } = true;

    /// <summary>What the sign-in button says, e.g. "openEuler account".</summary>
    public string? DisplayName { get; set; }

    /// <summary>The issuer URL; its <c>/.well-known/openid-configuration</c> is read at first use.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The client id registered at the provider.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client secret; <c>env:NAME</c> reads an environment variable, <c>file:PATH</c> a file.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides <c>openid</c>.</summary>
    public List<string> Scopes { get; set; } = ["profile", "email"];

    /// <summary>Claim holding the user name (default <c>preferred_username</c>).</summary>
    public string UsernameClaim { get; set; } = "preferred_username";

    /// <summary>Claim holding the e-mail address.</summary>
    public string EmailClaim { get; set; } = "email";

    /// <summary>Claim holding the name for people.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>Claim holding the user's groups (an array or one value); empty to take no groups from this provider.</summary>
    public string? GroupsClaim { get; set; } = "groups";

    /// <summary>Read the userinfo endpoint for claims the ID token lacks (default true).</summary>
    public bool UseUserInfo { get; set; } = true;

    /// <summary>
    /// Whether a first sign-in whose user name equals an existing user that no provider account is linked to yet (made by
    /// an admin, or carried over from token owners) signs in as that user (default true). Set it to false for providers
    /// where anyone picks their own name (a public forge): such a collision then gets the name <c>NAME-PROVIDER</c>.
    /// </summary>
    public bool LinkExistingUsers { get; set; } = true;

    /// <summary>
    /// Whether the issuer must be https (default true). Only a provider on loopback may be plain http, and only when this
    /// is false: a development or test setup.
    /// </summary>
    public bool RequireHttps { get; set; } = true;
}
