using System.Security.Claims;
using Forgeline.Accounts;
using Forgeline.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Web.Auth;

/// <summary>Registers authentication (API tokens, browser sessions, OpenID Connect providers) and one policy per scope.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>The default scheme: a token when the request carries an Authorization header, else the session cookie.</summary>
    public const string DefaultScheme = "Forgeline";

    /// <summary>The browser session cookie's scheme.</summary>
    public const string SessionScheme = "Session";

    /// <summary>The cookie's name.</summary>
    public const string SessionCookie = "forgeline.session";

    /// <summary>Claim carrying who the token's builds belong to in the queue.</summary>
    public const string OwnerClaim = ForgelineClaims.Owner;

    /// <summary>
    /// Adds the schemes and the policies named after <see cref="Scopes"/>. Data-protection keys (they seal the session and
    /// sign-in cookies) are kept in <paramref name="keysDirectory"/> so cookies outlive a restart.
    /// </summary>
    public static IServiceCollection AddForgelineAuth(this IServiceCollection services, IConfiguration configuration, string? keysDirectory)
    {
        services.AddForgelineAccounts(configuration);
        var dataProtection = services.AddDataProtection().SetApplicationName("forgeline");
        if (keysDirectory is not null)
        {
            Directory.CreateDirectory(keysDirectory);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keysDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            // Without an encryptor the key ring would sit in plain text (and data protection warns so at every start).
            var protection = SessionKeyRingProtection.Open(keysDirectory);
            services.AddSingleton(protection);
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keysDirectory));
            services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o => o.XmlEncryptor = protection);
        }

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "forgeline.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = CsrfProtection.HeaderName;
        });
        var authentication = services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "token or session", o =>
            {
                o.ForwardDefaultSelector = c => c.Request.Headers.Authorization.Count > 0 ? TokenAuthenticationHandler.SchemeName : SessionScheme;
                // People in a browser are sent to sign in; programs (the API, dnf on /repos) get 401 with a ProblemDetails body.
                o.ForwardChallenge = null;
                o.ForwardForbid = null;
            })
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null)
            .AddCookie(SessionScheme, o =>
            {
                o.Cookie.Name = SessionCookie;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/account/signin";
                o.LogoutPath = "/account/signout";
                o.AccessDeniedPath = "/account/denied";
                o.SlidingExpiration = false;
                o.EventsType = typeof(SessionCookieEvents);
            });
        services.AddScoped<SessionCookieEvents>();
        services.AddScoped<ExternalSignIn>();
        services.AddScoped<OidcSignInEvents>();
        services.AddScoped<ForgeOAuthEvents>();
        OidcProviders.Add(authentication, configuration);
        services.AddAuthorizationBuilder()
            .AddPolicy(Scopes.Admin, p => p.RequireClaim(Scopes.ClaimType, Scopes.Admin))
            .AddPolicy(Scopes.Build, p => p.RequireClaim(Scopes.ClaimType, Scopes.Build, Scopes.Admin))
            .AddPolicy(Scopes.Worker, p => p.RequireClaim(Scopes.ClaimType, Scopes.Worker, Scopes.Admin))
            .AddPolicy(Scopes.PlaygroundHost, p => p.RequireClaim(Scopes.ClaimType, Scopes.PlaygroundHost, Scopes.Admin))
            .AddPolicy(Scopes.Sign, p => p.RequireClaim(Scopes.ClaimType, Scopes.Sign, Scopes.Admin));
        services.PostConfigureAll<AuthorizationOptions>(o => o.DefaultPolicy = new AuthorizationPolicyBuilder(DefaultScheme).RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>Who the token's builds belong to: its owner (a user or group) or, without one, its name.</summary>
    public static string QueueOwner(this ClaimsPrincipal user) => user.FindFirst(OwnerClaim)?.Value ?? user.TokenName();

    /// <summary>Name of the authenticated principal (who did something): the user, or the service token's name.</summary>
    public static string TokenName(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
