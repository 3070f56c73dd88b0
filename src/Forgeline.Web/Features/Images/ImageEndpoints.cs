using System.Security.Claims;
using Forgeline.Core.Images;
using Forgeline.Images.Server;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static Forgeline.Web.Features.Projects.ProjectEndpoints;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Images;

/// <summary>Routes of image CI: a project's image definitions and test plans, image builds, runs and the matrix.</summary>
public static class ImageEndpoints
{
    /// <summary>Maps the image CI routes.</summary>
    public static IEndpointRouteBuilder MapImageEndpoints(this IEndpointRouteBuilder app)
    {
        var project = app.MapGroup("/api/v1/projects/{project}").WithTags("Images");
        project.MapGet("/images", async Task<Results<Ok<List<ImageFileDto>>, ProblemHttpResult>> (string project, ClaimsPrincipal user, ImageCatalog catalog, CancellationToken ct) =>
            OkOrProblem(await catalog.ListAsync(Caller(user), project, plans: false, ct))).WithSummary("The project's image definitions");
        project.MapPut("/images/{name}", async Task<Results<Ok<ImageFileDto>, ProblemHttpResult>> (string project, string name, ImageFileRequest request, ClaimsPrincipal user, ImageCatalog catalog, CancellationToken ct) =>
            OkOrProblem(await catalog.SetDefinitionAsync(Caller(user), project, name, request.Yaml, ct))).RequireAuthorization(Scopes.Build).WithSummary("Set an image definition (YAML; project builders)");
        project.MapDelete("/images/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string project, string name, ClaimsPrincipal user, ImageCatalog catalog, CancellationToken ct) =>
            await catalog.DeleteAsync(Caller(user), project, name, plan: false, ct) is { IsSuccess: false } failed ? Problem(failed) : TypedResults.NoContent())
            .RequireAuthorization(Scopes.Build).WithSummary("Delete an image definition no plan uses");
        project.MapPost("/images/{name}/builds", BuildAsync).RequireAuthorization(Scopes.Build).WithSummary("Build the image from its repositories now");
        project.MapGet("/image-builds", async Task<Results<Ok<List<ImageBuildDto>>, ProblemHttpResult>> (string project, int? limit, ClaimsPrincipal user, ImageQueries queries, CancellationToken ct) =>
            OkOrProblem(await queries.BuildsAsync(Caller(user), project, limit ?? 20, ct))).WithSummary("The project's image builds, newest first");

        project.MapGet("/image-plans", async Task<Results<Ok<List<ImageFileDto>>, ProblemHttpResult>> (string project, ClaimsPrincipal user, ImageCatalog catalog, CancellationToken ct) =>
            OkOrProblem(await catalog.ListAsync(Caller(user), project, plans: true, ct))).WithSummary("The project's test plans");
        project.MapPut("/image-plans/{name}", async Task<Results<Ok<ImageFileDto>, ProblemHttpResult>> (string project, string name, ImageFileRequest request, ClaimsPrincipal user, ImageCatalog catalog, CancellationToken ct) =>
            OkOrProblem(await catalog.SetPlanAsync(Caller(user), project, name, request.Yaml, ct))).RequireAuthorization(Scopes.Build)
            .WithSummary("Set a test plan (YAML); the answer's botUrl (with a new token, shown once) is the review bot's URL job for /test image");
        project.MapDelete("/image-plans/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string project, string name, ClaimsPrincipal user, ImageCatalog catalog, CancellationToken ct) =>
            await catalog.DeleteAsync(Caller(user), project, name, plan: true, ct) is { IsSuccess: false } failed ? Problem(failed) : TypedResults.NoContent())
            .RequireAuthorization(Scopes.Build).WithSummary("Delete a test plan; its runs stay");
        project.MapPost("/image-plans/{name}/runs", StartAsync).RequireAuthorization(Scopes.Build).WithSummary("Run a test plan now");
        project.MapPost("/image-plans/{name}/trigger", TriggerAsync).AllowAnonymous()
            .WithSummary("The review bot's URL job (/test image): starts a run and reports its result to report_url; ?token= is the plan's trigger token");
        project.MapGet("/image-runs", async Task<Results<Ok<List<ImageRunDto>>, ProblemHttpResult>> (string project, string? plan, int? limit, ClaimsPrincipal user, ImageQueries queries, CancellationToken ct) =>
            OkOrProblem(await queries.RunsAsync(Caller(user), project, plan, limit ?? 20, ct))).WithSummary("The project's test runs (of one plan with ?plan=), newest first");

        var api = app.MapGroup("/api/v1").WithTags("Images");
        api.MapGet("/image-builds/{id:long}", async Task<Results<Ok<ImageBuildDto>, ProblemHttpResult>> (long id, ClaimsPrincipal user, ImageQueries queries, CancellationToken ct) =>
            OkOrProblem(await queries.BuildAsync(Caller(user), id, ct))).WithSummary("One image build with its signed files");
        api.MapGet("/image-builds/{id:long}/files/{name}.asc", SignatureAsync).Produces<string>(contentType: "text/plain")
            .WithSummary("The detached armored OpenPGP signature of an image build's file (gpg --verify NAME.asc NAME)");
        api.MapGet("/image-runs/{id:long}", async Task<Results<Ok<ImageRunDto>, ProblemHttpResult>> (long id, ClaimsPrincipal user, ImageQueries queries, CancellationToken ct) =>
            OkOrProblem(await queries.RunAsync(Caller(user), id, ct))).WithSummary("One test run with its VM jobs");
        api.MapGet("/image-matrix", async (string? project, int? days, ClaimsPrincipal user, ImageQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.MatrixAsync(Caller(user), project, days ?? 14, ct))).WithSummary("Plans × days: each day's latest run");
        return app;
    }

    private static async Task<Results<Created<ImageBuildDto>, ProblemHttpResult>> BuildAsync(string project, string name, ClaimsPrincipal user, ImageRuns runs, CancellationToken cancellationToken)
    {
        var result = await runs.BuildAsync(Caller(user), project, name, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/image-builds/{result.Value!.Id}", result.Value) : Problem(result);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> SignatureAsync(long id, string name, ClaimsPrincipal user, ImageQueries queries, CancellationToken cancellationToken)
    {
        var build = await queries.BuildAsync(Caller(user), id, cancellationToken);
        if (!build.IsSuccess)
        {
            return Problem(build);
        }

        return build.Value!.Files.FirstOrDefault(f => f.Name == name) is { Signature: { } signature }
            ? TypedResults.Text(signature, "text/plain; charset=utf-8")
            : TypedResults.Problem(title: "Not found", statusCode: StatusCodes.Status404NotFound,
                detail: $"image build {id} has no signed file '{name}'; its files are listed at /api/v1/image-builds/{id}");
    }

    private static async Task<Results<Created<ImageRunDto>, ProblemHttpResult>> StartAsync(string project, string name, ClaimsPrincipal user, ImageRuns runs, CancellationToken cancellationToken)
    {
        var result = await runs.StartAsync(Caller(user), project, name, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/image-runs/{result.Value!.Id}", result.Value) : Problem(result);
    }

    private static async Task<Results<Created<ImageRunDto>, ProblemHttpResult>> TriggerAsync(string project, string name, string? token, BotJobCall call, ImageRuns runs, CancellationToken cancellationToken)
    {
        var result = await runs.TriggerAsync(project, name, token, call, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/image-runs/{result.Value!.Id}", result.Value) : Problem(result);
    }
}
