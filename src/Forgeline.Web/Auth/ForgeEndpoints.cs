using Forgeline.Accounts;

namespace Forgeline.Web.Auth;

/// <summary>Where GitHub's and Gitee's OAuth and API endpoints are, from their documentation (or the settings' overrides).</summary>
public static class ForgeEndpoints
{
    /// <summary>The forge's web URL (authorization and token endpoints live under it).</summary>
    public static string WebOf(OidcProviderOptions settings) =>
        (settings.WebUrl ?? (settings.Type == ProviderTypes.Gitee ? "https://gitee.com" : "https://github.com")).TrimEnd('/');

    /// <summary>The forge's REST API.</summary>
    public static string ApiOf(OidcProviderOptions settings) =>
        settings.ApiUrl ?? (settings.Type == ProviderTypes.Gitee ? "https://gitee.com/api/v5" : "https://api.github.com");

    /// <summary>Where the browser is sent to approve: GitHub <c>/login/oauth/authorize</c>, Gitee <c>/oauth/authorize</c>.</summary>
    public static string AuthorizationOf(OidcProviderOptions settings) =>
        WebOf(settings) + (settings.Type == ProviderTypes.Gitee ? "/oauth/authorize" : "/login/oauth/authorize");

    /// <summary>Where the code is exchanged: GitHub <c>/login/oauth/access_token</c>, Gitee <c>/oauth/token</c>.</summary>
    public static string TokenOf(OidcProviderOptions settings) =>
        WebOf(settings) + (settings.Type == ProviderTypes.Gitee ? "/oauth/token" : "/login/oauth/access_token");

    /// <summary>Scopes asked for: GitHub <c>read:user user:email read:org</c>, Gitee <c>user_info emails groups</c>.</summary>
    public static IReadOnlyList<string> ScopesOf(OidcProviderOptions settings) =>
        settings.Type == ProviderTypes.Gitee ? ["user_info", "emails", "groups"] : ["read:user", "user:email", "read:org"];
}
