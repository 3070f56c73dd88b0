using System.Security.Claims;
using Forgeline.Accounts;
using Forgeline.Core.Accounts;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Accounts;

/// <summary>Sign-in and sign-out, <c>/api/v1/me</c>, users and groups (admins), and the CLI's login code exchange.</summary>
public static class AccountEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/account/signin/{provider}", SignIn).ExcludeFromDescription();
        app.MapPost("/account/signout", SignOutAsync).ExcludeFromDescription();

        app.MapGet("/api/v1/me", Me).RequireAuthorization().WithTags("Accounts").WithSummary("Who is calling: name, groups, scopes");
        app.MapPost("/api/v1/login/token", ExchangeAsync).AllowAnonymous().WithTags("Accounts")
            .WithSummary("The CLI exchanges its one-time login code and PKCE verifier for a personal token");

        var users = app.MapGroup("/api/v1/users").WithTags("Accounts").RequireAuthorization(Scopes.Admin);
        users.MapGet("", async (UserDirectory directory, CancellationToken ct) => TypedResults.Ok(await directory.UsersAsync(ct))).WithSummary("List users (admin)");
        users.MapPost("", async Task<Results<Ok<UserDto>, ProblemHttpResult>> (CreateUserRequest request, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            OkOrProblem(await groups.CreateUserAsync(request, user.TokenName(), ct))).WithSummary("Make a user ahead of their first sign-in (admin)");
        users.MapPost("/{name}/disable", async Task<Results<Ok<bool>, ProblemHttpResult>> (string name, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            OkOrProblem(await groups.SetDisabledAsync(name, true, user.TokenName(), ct))).WithSummary("Disable a user: sessions and personal tokens stop working at once (admin)");
        users.MapPost("/{name}/enable", async Task<Results<Ok<bool>, ProblemHttpResult>> (string name, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            OkOrProblem(await groups.SetDisabledAsync(name, false, user.TokenName(), ct))).WithSummary("Enable a user again (admin)");

        var groupsApi = app.MapGroup("/api/v1/groups").WithTags("Accounts");
        groupsApi.MapGet("", async (UserDirectory directory, CancellationToken ct) => TypedResults.Ok(await directory.GroupsAsync(ct)))
            .RequireAuthorization().WithSummary("List groups with their members");
        groupsApi.MapPost("", async Task<Results<Ok<GroupDto>, ProblemHttpResult>> (CreateGroupRequest request, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            OkOrProblem(await groups.CreateGroupAsync(request, user.TokenName(), ct))).RequireAuthorization(Scopes.Admin).WithSummary("Make a group (admin)");
        groupsApi.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            await groups.DeleteGroupAsync(name, user.TokenName(), ct) is { IsSuccess: false } failed ? Problem(failed) : TypedResults.NoContent())
            .RequireAuthorization(Scopes.Admin).WithSummary("Delete a group (admin)");
        groupsApi.MapPut("/{name}/members/{member}", async Task<Results<NoContent, ProblemHttpResult>> (string name, string member, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            await groups.AddMemberAsync(name, member, user.TokenName(), ct) is { IsSuccess: false } failed ? Problem(failed) : TypedResults.NoContent())
            .RequireAuthorization(Scopes.Admin).WithSummary("Add a user to a group (admin)");
        groupsApi.MapDelete("/{name}/members/{member}", async Task<Results<Ok<string>, ProblemHttpResult>> (string name, string member, ClaimsPrincipal user, GroupService groups, CancellationToken ct) =>
            OkOrProblem(await groups.RemoveMemberAsync(name, member, user.TokenName(), ct)))
            .RequireAuthorization(Scopes.Admin).WithSummary("Remove a user from a group; answers where the membership came from (admin)");
        return app;
    }

    private static Results<ChallengeHttpResult, ProblemHttpResult> SignIn(string provider, string? returnUrl, HttpContext context, IOptions<AccountsOptions> options)
    {
        if (!options.Value.Providers.ContainsKey(provider))
        {
            var known = options.Value.Providers.Keys.ToList();
            return TypedResults.Problem(title: "Unknown sign-in provider", statusCode: StatusCodes.Status404NotFound,
                detail: known.Count == 0
                    ? $"no sign-in provider named '{provider}': this server has none configured (see docs/accounts.md)"
                    : $"no sign-in provider named '{provider}'; this server knows {string.Join(", ", known)}");
        }

        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalUrl(returnUrl, context) }, [OidcProviders.SchemeOf(provider)]);
    }

    private static async Task<RedirectHttpResult> SignOutAsync(HttpContext context, SessionService sessions)
    {
        // The CSRF middleware has checked the form's token before we get here (the session cookie authenticated this POST).
        await sessions.EndAsync(context.User.FindFirst(ForgelineClaims.Session)?.Value, context.RequestAborted);
        await context.SignOutAsync(AuthServiceCollectionExtensions.SessionScheme);
        return TypedResults.Redirect("/");
    }

    private static Ok<MeDto> Me(ClaimsPrincipal user) => TypedResults.Ok(new MeDto(
        user.TokenName(), user.UserIdOf() is null ? "service" : "user", user.GroupsOf(),
        user.FindAll(Scopes.ClaimType).Select(c => c.Value).ToList(), user.FindFirst(ForgelineClaims.Token)?.Value));

    private static async Task<Results<Ok<Core.Tokens.CreatedTokenDto>, ProblemHttpResult>> ExchangeAsync(LoginCodeExchange request, LoginCodes codes, CancellationToken ct)
    {
        var result = await codes.ExchangeAsync(request.Code, request.Verifier, ct);
        return result.IsSuccess
            ? TypedResults.Ok(new Core.Tokens.CreatedTokenDto(result.Value.Name, LoginCodes.CliScopes, result.Value.Secret))
            : Problem(result);
    }

    /// <summary>A return URL on this site, or "/": never an open redirect to another host.</summary>
    public static string LocalUrl(string? returnUrl, HttpContext context) =>
        returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
