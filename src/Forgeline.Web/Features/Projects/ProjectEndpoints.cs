using System.Security.Claims;
using Forgeline.Core.Projects;
using Forgeline.Projects;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Projects;

/// <summary>Routes of <c>/api/v1/projects</c>: projects, members, packages, batches and package webhooks.</summary>
public static class ProjectEndpoints
{
    /// <summary>Maps the project routes.</summary>
    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/projects").WithTags("Projects");
        api.MapGet("", async (ClaimsPrincipal user, ProjectService projects, CancellationToken ct) => TypedResults.Ok(await projects.ListAsync(Caller(user), ct)))
            .WithSummary("Projects you can see");
        api.MapPost("", CreateAsync).RequireAuthorization(Scopes.Build).WithSummary("Create a project you own");
        api.MapGet("/{name}", async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> (string name, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            OkOrProblem(await projects.GetAsync(Caller(user), name, ct))).WithSummary("One project with its members and repositories");
        api.MapPatch("/{name}", async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> (string name, EditProjectRequest request, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            OkOrProblem(await projects.EditAsync(Caller(user), name, request, ct))).RequireAuthorization(Scopes.Build).WithSummary("Change a project's settings (project admins)");
        api.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            await projects.DeleteAsync(Caller(user), name, ct) is { IsSuccess: false } failed ? Problem(failed) : TypedResults.NoContent())
            .RequireAuthorization(Scopes.Build).WithSummary("Delete a project and its repositories (its owner or a server admin)");
        api.MapPut("/{name}/members/{principal}", async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> (string name, string principal, SetMemberRequest request, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            OkOrProblem(await projects.SetMemberAsync(Caller(user), name, principal, request.Role, ct))).RequireAuthorization(Scopes.Build).WithSummary("Add a member or change their role (project admins)");
        api.MapDelete("/{name}/members/{principal}", async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> (string name, string principal, ClaimsPrincipal user, ProjectService projects, CancellationToken ct) =>
            OkOrProblem(await projects.RemoveMemberAsync(Caller(user), name, principal, ct))).RequireAuthorization(Scopes.Build).WithSummary("Remove a member (project admins)");

        api.MapGet("/{name}/packages", async Task<Results<Ok<List<PackageDto>>, ProblemHttpResult>> (string name, ClaimsPrincipal user, PackageService packages, CancellationToken ct) =>
            OkOrProblem(await packages.ListAsync(Caller(user), name, ct))).WithSummary("The project's packages with their latest build per chroot");
        api.MapPost("/{name}/packages", AddPackageAsync).RequireAuthorization(Scopes.Build).WithSummary("Add a package from an upload or a git repository; its spec is read at once");
        api.MapPut("/{name}/packages/{package}", async Task<Results<Ok<AddPackageResult>, ProblemHttpResult>> (string name, string package, AddPackageRequest request, ClaimsPrincipal user, PackageService packages, CancellationToken ct) =>
            OkOrProblem(await packages.UpdateAsync(Caller(user), name, request with { Name = package }, ct))).RequireAuthorization(Scopes.Build).WithSummary("Change where a package comes from");
        api.MapDelete("/{name}/packages/{package}", async Task<Results<NoContent, ProblemHttpResult>> (string name, string package, ClaimsPrincipal user, PackageService packages, CancellationToken ct) =>
            await packages.DeleteAsync(Caller(user), name, package, ct) is { IsSuccess: false } failed ? Problem(failed) : TypedResults.NoContent())
            .RequireAuthorization(Scopes.Build).WithSummary("Remove a package; its RPMs leave the repositories");
        api.MapPost("/{name}/packages/{package}/webhook", WebhookAsync).AllowAnonymous()
            .Accepts<Stream>("application/json").WithSummary("Push webhook of a git package (GitHub X-Hub-Signature-256, GitLab X-Gitlab-Token, Gitee X-Gitee-Token)");

        api.MapPost("/{name}/builds", SubmitAsync).RequireAuthorization(Scopes.Build).WithSummary("Build packages together in dependency order (all of them: a mass rebuild)");
        api.MapGet("/{name}/builds", async Task<Results<Ok<List<BatchDto>>, ProblemHttpResult>> (string name, int? limit, ClaimsPrincipal user, BatchQueries batches, CancellationToken ct) =>
            OkOrProblem(await batches.ListAsync(Caller(user), name, limit ?? 20, ct))).WithSummary("The project's batches, newest first");
        api.MapGet("/{name}/builds/{id:long}", async Task<Results<Ok<BatchDto>, ProblemHttpResult>> (string name, long id, ClaimsPrincipal user, BatchQueries batches, CancellationToken ct) =>
            OkOrProblem(await batches.GetAsync(Caller(user), name, id, ct))).WithSummary("One batch: each package's state, what it waits for, why it is blocked");
        return app;
    }

    /// <summary>The caller as projects know it; anonymous when not signed in.</summary>
    public static ProjectCaller Caller(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? new ProjectCaller(user.QueueOwner(), user.TokenName(), user.IsAdmin()) { Groups = user.GroupsOf() }
            : ProjectCaller.Anonymous;

    private static async Task<Results<Created<ProjectDto>, ProblemHttpResult>> CreateAsync(CreateProjectRequest request, ClaimsPrincipal user, ProjectService projects, CancellationToken cancellationToken)
    {
        var result = await projects.CreateAsync(Caller(user), request, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/projects/{result.Value!.Name}", result.Value) : Problem(result);
    }

    private static async Task<Results<Created<AddPackageResult>, ProblemHttpResult>> AddPackageAsync(string name, AddPackageRequest request, ClaimsPrincipal user, PackageService packages, CancellationToken cancellationToken)
    {
        var result = await packages.AddAsync(Caller(user), name, request, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/projects/{name}/packages/{request.Name}", result.Value) : Problem(result);
    }

    private static async Task<Results<Created<BatchDto>, ProblemHttpResult>> SubmitAsync(string name, SubmitProjectBuildRequest request, ClaimsPrincipal user, BatchPlanner planner, CancellationToken cancellationToken)
    {
        var result = await planner.SubmitAsync(Caller(user), name, request, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/projects/{name}/builds/{result.Value!.Id}", result.Value) : Problem(result);
    }

    private static async Task<Results<Accepted<ProjectWebhooks.Outcome>, Ok<ProjectWebhooks.Outcome>, ProblemHttpResult>> WebhookAsync(
        string name, string package, HttpRequest request, ProjectWebhooks webhooks, IOptions<ProjectsOptions> options, CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await WebhookBody.ReadAsync(request, options.Value.MaxWebhookBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        var result = await webhooks.DeliverAsync(name, package, WebhookBody.Headers(request), body!, cancellationToken);
        if (!result.IsSuccess)
        {
            return Problem(result);
        }

        return result.Value!.Queued ? TypedResults.Accepted((string?)null, result.Value) : TypedResults.Ok(result.Value);
    }
}
