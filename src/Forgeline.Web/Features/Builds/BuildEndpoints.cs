using System.Security.Claims;
using Forgeline.Core;
using Forgeline.Builds;
using Forgeline.Core.Builds;
using Forgeline.Core.Images;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Builds;

/// <summary>Routes of <c>/api/v1/uploads</c> and <c>/api/v1/builds</c>.</summary>
public static class BuildEndpoints
{
    /// <summary>Maps upload, submit, list, show, cancel, log and artifact download.</summary>
    public static IEndpointRouteBuilder MapBuildEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Builds");
        api.MapPost("/uploads", UploadAsync).RequireAuthorization(Scopes.Build)
            .Accepts<Stream>("application/octet-stream").WithSummary("Upload an SRPM (kind=srpm) or a directory tarball (kind=directory)");
        api.MapPost("/builds", SubmitAsync).RequireAuthorization(Scopes.Build).WithSummary("Submit a build");
        api.MapGet("/builds", ListAsync).WithSummary("List builds, newest first");
        // A build of a private project is not there for those who may not see the project, whichever route asks.
        var build = api.MapGroup("/builds/{id:long}").AddEndpointFilter(HideBuildsOfPrivateProjectsAsync);
        build.MapGet("", GetAsync).WithSummary("Show one build");
        build.MapGet("/history", async (long id, BuildService builds, CancellationToken ct) => OkOrProblem(await builds.HistoryAsync(id, ct)))
            .WithSummary("A build's history: queued, started, requeued, finished");
        build.MapPost("/cancel", CancelAsync).RequireAuthorization(Scopes.Build).WithSummary("Cancel a queued or running build");
        build.MapGet("/log", BuildLogStreamer.StreamAsync).WithSummary("The build log as text; follow=true streams it live until the build ends");
        build.MapGet("/artifacts/{name}", DownloadAsync).WithSummary("Download an artifact; X-Checksum-Sha256 carries its digest");
        return app;
    }

    private static async Task<Results<Created<UploadResult>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, BuildService builds, string kind, string? name, string? sha256, CancellationToken cancellationToken)
    {
        var result = await builds.UploadSourceAsync(request.Body, kind, sha256, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/blobs/{result.Value!.Sha256}", result.Value) : Problem(result);
    }

    private static async Task<Results<Created<BuildDto>, ProblemHttpResult>> SubmitAsync(
        SubmitBuildRequest request, HttpContext context, BuildService builds, CancellationToken cancellationToken)
    {
        var result = await builds.SubmitAsync(context.User.QueueOwner(), request, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/api/v1/builds/{result.Value!.Id}", result.Value) : Problem(result);
    }

    private static async Task<Results<Ok<BuildPage>, ProblemHttpResult>> ListAsync(
        BuildService builds, BuildVisibility visibility, ClaimsPrincipal user, string? state, int? limit, long? before, CancellationToken cancellationToken) =>
        OkOrProblem(await builds.ListAsync(state, limit ?? 50, before, cancellationToken, await visibility.HiddenProjectsAsync(user.ToViewer(), cancellationToken)));

    private static async ValueTask<object?> HideBuildsOfPrivateProjectsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (long.TryParse(http.Request.RouteValues["id"]?.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var id)
            && await http.RequestServices.GetRequiredService<BuildVisibility>().IsHiddenAsync(id, http.User.ToViewer(), http.RequestAborted))
        {
            return TypedResults.Problem(title: "Not found", detail: $"there is no build {id} you can see; sign in if it belongs to a private project of yours", statusCode: StatusCodes.Status404NotFound);
        }

        return await next(context);
    }

    private static async Task<Results<Ok<BuildDto>, ProblemHttpResult>> GetAsync(long id, BuildService builds, CancellationToken cancellationToken) =>
        OkOrProblem(await builds.GetAsync(id, cancellationToken));

    private static async Task<Results<Ok<BuildDto>, ProblemHttpResult>> CancelAsync(long id, HttpContext context, BuildService builds, CancellationToken cancellationToken) =>
        OkOrProblem(await builds.CancelAsync(id, context.User.TokenName(), context.User.HasClaim(Scopes.ClaimType, Scopes.Admin) ? null : context.User.QueueOwner(), cancellationToken));

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        long id, string name, HttpContext context, BuildService builds, CancellationToken cancellationToken)
    {
        var (artifact, content) = await builds.OpenArtifactAsync(id, name, cancellationToken);
        if (artifact is null || content is null)
        {
            return TypedResults.Problem(title: "Not found", detail: $"build {id} has no artifact '{name}'", statusCode: StatusCodes.Status404NotFound);
        }

        context.Response.Headers["X-Checksum-Sha256"] = artifact.Sha256;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        // A screenshot or JUnit file opens in the browser (the run page shows the screenshot inline); the rest downloads.
        // JUnit XML comes from the guest, so it is shown as text: as XML it could carry XHTML script into this origin.
        var (contentType, inline) = artifact.Kind switch
        {
            "log" => ("text/plain; charset=utf-8", true),
            ImageArtifacts.Screenshot => ("image/png", true),
            ImageArtifacts.JUnit => ("text/plain; charset=utf-8", true),
            ImageArtifacts.Image or ImageArtifacts.Disk => ("application/octet-stream", false),
            _ => ("application/x-rpm", false),
        };
        return TypedResults.File(content, contentType, inline ? null : artifact.Name,
            entityTag: new EntityTagHeaderValue($"\"{artifact.Sha256}\""), enableRangeProcessing: true);
    }
}
