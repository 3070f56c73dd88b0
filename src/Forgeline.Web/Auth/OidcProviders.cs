using Forgeline.Accounts;
using Forgeline.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Forgeline.Web.Auth;

/// <summary>One ASP.NET Core OpenID Connect handler per configured provider: authorization code flow with PKCE.</summary>
public static class OidcProviders
{
    /// <summary>The scheme of provider <paramref name="name"/>.</summary>
    public static string SchemeOf(string name) => "oidc-" + name;

    /// <summary>The provider of scheme <paramref name="scheme"/>.</summary>
    public static string ProviderOf(string scheme) => scheme["oidc-".Length..];

    /// <summary>Where the provider sends the browser back: register <c>BASE/signin-oidc/NAME</c> as the redirect URI.</summary>
    public static string CallbackPathOf(string name) => "/signin-oidc/" + name;

    /// <summary>Adds a handler for each provider in <c>Forgeline:Accounts:Providers</c>.</summary>
    public static void Add(AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var accounts = configuration.GetSection(AccountsOptions.Section).Get<AccountsOptions>() ?? new AccountsOptions();
        foreach (var (name, provider) in accounts.Providers)
        {
            if (provider.Type is ProviderTypes.GitHub or ProviderTypes.Gitee)
            {
                AddForge(authentication, name, provider);
                continue;
            }

            authentication.AddOpenIdConnect(SchemeOf(name), provider.DisplayName ?? name, o =>
            {
                o.Authority = provider.Issuer;
                o.ClientId = provider.ClientId;
                // Validated at start-up (AccountsOptionsValidator), which names the setting when it cannot be read.
                o.ClientSecret = SecretValue.Resolve(provider.ClientSecret, name).Value;
                o.ResponseType = OpenIdConnectResponseType.Code;
                // Query, not form_post: the correlation and nonce cookies then can be SameSite=Lax, which browsers send on
                // the provider's top-level redirect back even over plain http on a laptop.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.CallbackPath = CallbackPathOf(name);
                o.SignInScheme = AuthServiceCollectionExtensions.SessionScheme;
                o.RequireHttpsMetadata = provider.RequireHttps;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.RequireSignedTokens = true;
                o.SaveTokens = false;
                o.GetClaimsFromUserInfoEndpoint = provider.UseUserInfo;
                o.Scope.Clear();
                o.Scope.Add("openid");
                foreach (var scope in provider.Scopes)
                {
                    o.Scope.Add(scope);
                }

                foreach (var claim in new[] { provider.UsernameClaim, provider.EmailClaim, provider.NameClaim })
                {
                    o.ClaimActions.MapUniqueJsonKey(claim, claim);
                }

                if (provider.GroupsClaim is { Length: > 0 } groups)
                {
                    o.ClaimActions.MapJsonKey(groups, groups);
                }

                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.EventsType = typeof(OidcSignInEvents);
            });
        }
    }

    private static void AddForge(AuthenticationBuilder authentication, string name, OidcProviderOptions provider) =>
        authentication.AddOAuth(SchemeOf(name), provider.DisplayName ?? name, o =>
        {
            o.ClientId = provider.ClientId;
            o.ClientSecret = SecretValue.Resolve(provider.ClientSecret, name).Value!;
            o.AuthorizationEndpoint = ForgeEndpoints.AuthorizationOf(provider);
            o.TokenEndpoint = ForgeEndpoints.TokenOf(provider);
            o.CallbackPath = CallbackPathOf(name);
            o.SignInScheme = AuthServiceCollectionExtensions.SessionScheme;
            // GitHub checks a PKCE verifier when one is sent; Gitee's OAuth does not know PKCE, and the state still binds the flow.
            o.UsePkce = provider.Type == ProviderTypes.GitHub;
            o.SaveTokens = false;
            o.Scope.Clear();
            foreach (var scope in ForgeEndpoints.ScopesOf(provider))
            {
                o.Scope.Add(scope);
            }

            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.EventsType = typeof(ForgeOAuthEvents);
        });
}
