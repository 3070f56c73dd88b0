using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Web.Auth;

/// <summary>Registers token authentication and one policy per scope.</summary>
public static class AuthServiceCollectionExtensions
{
    /// <summary>Adds the <c>Token</c> scheme and the policies named after <see cref="Scopes"/>.</summary>
    public static IServiceCollection AddForgelineAuth(this IServiceCollection services)
    {
        services.AddScoped<TokenService>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Scopes.Admin, p => p.RequireClaim(Scopes.ClaimType, Scopes.Admin))
            .AddPolicy(Scopes.Build, p => p.RequireClaim(Scopes.ClaimType, Scopes.Build, Scopes.Admin))
            .AddPolicy(Scopes.Worker, p => p.RequireClaim(Scopes.ClaimType, Scopes.Worker, Scopes.Admin))
            .AddPolicy(Scopes.Sign, p => p.RequireClaim(Scopes.ClaimType, Scopes.Sign, Scopes.Admin));
        return services;
    }

    /// <summary>Claim carrying who the token's builds belong to in the queue.</summary>
    public const string OwnerClaim = "forgeline:owner";

    /// <summary>Who the token's builds belong to: its owner (a user or group) or, without one, its name.</summary>
    public static string QueueOwner(this System.Security.Claims.ClaimsPrincipal user) => user.FindFirst(OwnerClaim)?.Value ?? user.TokenName();

    /// <summary>Name of the authenticated token (who did something).</summary>
    public static string TokenName(this System.Security.Claims.ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
