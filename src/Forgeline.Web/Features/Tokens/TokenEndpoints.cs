using System.Security.Claims;
using Forgeline.Accounts;
using Forgeline.Core;
using Forgeline.Core.Accounts;
using Forgeline.Core.Tokens;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Forgeline.Web.Features.Tokens;

/// <summary>
/// Routes of <c>/api/v1/tokens</c>. A person (signed in, or with a personal token) manages their own personal tokens; a
/// service admin token manages service tokens (workers, CI robots) and sees every token.
/// </summary>
public static class TokenEndpoints
{
    /// <summary>Maps create, list and revoke.</summary>
    public static IEndpointRouteBuilder MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/tokens").WithTags("Tokens").RequireAuthorization();
        api.MapPost("", CreateAsync).WithSummary("Create an API token; the secret is in this answer only");
        api.MapGet("", ListAsync).WithSummary("List API tokens (your own; every one for a service admin), never secrets");
        api.MapDelete("/{name}", RevokeAsync).WithSummary("Revoke a token; it is refused from the next request on");
        app.MapGet("/api/v1/whoami", (ClaimsPrincipal user) => TypedResults.Ok(new WhoAmIDto(
                user.TokenName(), user.FindAll(Scopes.ClaimType).Select(c => c.Value).ToList(), user.QueueOwner())))
            .RequireAuthorization().WithTags("Tokens").WithSummary("The name and scopes of the token presented");
        return app;
    }

    private static async Task<Results<Created<CreatedTokenDto>, ProblemHttpResult>> CreateAsync(
        CreateTokenRequest request, ClaimsPrincipal user, TokenService tokens, IPrincipalDirectory directory, CancellationToken cancellationToken)
    {
        var person = user.UserIdOf();
        if (person is null && !user.IsAdmin())
        {
            return Problem(StatusCodes.Status403Forbidden, "Not allowed", "only admins make service tokens; sign in to make personal tokens");
        }

        if (await OwnerProblemAsync(request.Owner, user, person is not null, directory, cancellationToken) is { } ownerProblem)
        {
            return ownerProblem;
        }

        // A service admin may give any scope; a person at most the scopes they hold now (an admin person every one).
        var allowed = person is null || user.IsAdmin() ? Scopes.All : user.FindAll(Scopes.ClaimType).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var created = await tokens.CreateCheckedAsync(request.Name, request.Scopes, Scopes.All, allowed, request.Owner,
            person is { } id ? (id, user.TokenName()) : null, cancellationToken);
        if (!created.IsSuccess)
        {
            return ServiceResultHttp.Problem(created);
        }

        var (token, secret) = created.Value;
        return TypedResults.Created($"/api/v1/tokens/{token.Name}", new CreatedTokenDto(token.Name, token.Scopes.Split(' '), secret));
    }

    private static async Task<ProblemHttpResult?> OwnerProblemAsync(string? owner, ClaimsPrincipal user, bool personal, IPrincipalDirectory directory, CancellationToken cancellationToken)
    {
        if (owner is not { Length: > 0 })
        {
            return null;
        }

        if (!ResourceName.IsValid(owner))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid request", $"owner must be {ResourceName.Rule}");
        }

        if (personal && !user.NamesOf().Contains(owner))
        {
            return Problem(StatusCodes.Status403Forbidden, "Not allowed", $"a personal token's builds can belong to you or one of your groups ({string.Join(", ", user.GroupsOf())}), not '{owner}'");
        }

        return await directory.KindOfAsync(owner, cancellationToken) == PrincipalKind.Unknown
            ? Problem(StatusCodes.Status400BadRequest, "Invalid request", $"no user or group named '{owner}'; create the group with 'forgeline group create {owner}'")
            : null;
    }

    private static async Task<List<TokenDto>> ListAsync(ClaimsPrincipal user, TokenService tokens, CancellationToken cancellationToken) =>
        (await tokens.ListAsync(user.UserIdOf() ?? (user.IsAdmin() ? null : -1), cancellationToken)).Select(TokenService.ToDto).ToList();

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string name, ClaimsPrincipal user, TokenService tokens, CancellationToken cancellationToken)
    {
        var person = user.UserIdOf();
        if (person is null && !user.IsAdmin())
        {
            return Problem(StatusCodes.Status403Forbidden, "Not allowed", "a service token cannot revoke tokens; ask an admin");
        }

        var stored = person is null ? name : TokenService.PersonalName(user.TokenName(), name);
        return await tokens.RevokeAsync(stored, cancellationToken, person)
            ? TypedResults.NoContent()
            : Problem(StatusCodes.Status404NotFound, "Not found", $"no active token named '{stored}'");
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(title: title, detail: detail, statusCode: status);
}
