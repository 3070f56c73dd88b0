using Forgeline.Core;
using Forgeline.Core.Tokens;
using Forgeline.Data;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Web.Features.Tokens;

/// <summary>Routes of <c>/api/v1/tokens</c> (admin only).</summary>
public static class TokenEndpoints
{
    /// <summary>Maps create, list and revoke.</summary>
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/tokens").WithTags("Tokens").RequireAuthorization(Scopes.Admin);
        api.MapPost("", CreateAsync).WithSummary("Create an API token; the secret is in this answer only");
        api.MapGet("", ListAsync).WithSummary("List API tokens (names and scopes, never secrets)");
        api.MapDelete("/{name}", RevokeAsync).WithSummary("Revoke a token");
        app.MapGet("/api/v1/whoami", (System.Security.Claims.ClaimsPrincipal user) => TypedResults.Ok(new WhoAmIDto(
                user.TokenName(), user.FindAll(Scopes.ClaimType).Select(c => c.Value).ToList(), user.QueueOwner())))
            .RequireAuthorization().WithTags("Tokens").WithSummary("The name and scopes of the token presented");
        return app;
    }

    private static async Task<Results<Created<CreatedTokenDto>, ProblemHttpResult>> CreateAsync(CreateTokenRequest request, TokenService tokens, CancellationToken cancellationToken)
    {
        if (!ResourceName.IsValid(request.Name))
        {
            return TypedResults.Problem(title: "Invalid request", detail: $"name must be {ResourceName.Rule}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.Owner is { Length: > 0 } owner && !ResourceName.IsValid(owner))
        {
            return TypedResults.Problem(title: "Invalid request", detail: $"owner must be {ResourceName.Rule}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.Scopes is not { Count: > 0 } || request.Scopes.FirstOrDefault(s => !Scopes.All.Contains(s)) is { } bad && bad is not null)
        {
            return TypedResults.Problem(title: "Invalid request", detail: $"scopes must be some of: {string.Join(", ", Scopes.All)}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (await tokens.ExistsAsync(request.Name, cancellationToken))
        {
            return TypedResults.Problem(title: "Conflict", detail: $"a token named '{request.Name}' exists; choose another name", statusCode: StatusCodes.Status409Conflict);
        }

        var (token, secret) = await tokens.CreateAsync(request.Name, request.Scopes, cancellationToken, request.Owner);
        return TypedResults.Created($"/api/v1/tokens/{token.Name}", new CreatedTokenDto(token.Name, token.Scopes.Split(' '), secret));
    }

    private static async Task<List<TokenDto>> ListAsync(ForgelineDbContext db, CancellationToken cancellationToken) =>
        (await db.ApiTokens.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken))
        .Select(t => new TokenDto(t.Name, t.Scopes.Split(' '), new DateTimeOffset(t.CreatedAt), t.LastUsedAt is { } u ? new DateTimeOffset(u) : null, t.RevokedAt is not null, t.Owner))
        .ToList();

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string name, TokenService tokens, CancellationToken cancellationToken) =>
        await tokens.RevokeAsync(name, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: "Not found", detail: $"no active token named '{name}'", statusCode: StatusCodes.Status404NotFound);
}
