using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Builds;
using Forgeline.Builds.Artifacts;
using Forgeline.Core.Workers;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Workers;

/// <summary>Routes of <c>/api/v1/workers</c>, <c>/api/v1/jobs</c> and <c>/api/v1/blobs</c>: the pull protocol of build workers.</summary>
public static class WorkerEndpoints
{
    /// <summary>Maps list, lease, heartbeat, log, artifact upload, complete, release and source download.</summary>
    public static IEndpointRouteBuilder MapWorkerEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Workers");
        api.MapGet("/workers", ListAsync).WithSummary("List workers with their state, labels, current and recent builds");
        api.MapPost("/workers/{name}/{action:regex(^(drain|disable|enable)$)}", ApplyAsync).RequireAuthorization(Scopes.Admin)
            .WithSummary("Drain (finish running builds, take no new ones), disable (hand running builds back now) or enable a worker");
        var worker = api.MapGroup("").RequireAuthorization(Scopes.Worker);
        worker.MapPost("/workers/lease", LeaseAsync).WithSummary("Long-poll for a job; 204 when none came within waitSeconds");
        worker.MapPost("/jobs/{lease}/heartbeat", HeartbeatAsync).WithSummary("Renew a lease; says whether the build was canceled");
        worker.MapPost("/jobs/{lease}/log", AppendLogAsync).Accepts<Stream>("application/octet-stream").WithSummary("Append build log bytes at an offset");
        worker.MapPut("/jobs/{lease}/artifacts/{name}", PutArtifactAsync).Accepts<Stream>("application/octet-stream").WithSummary("Upload an artifact, checked against its sha256");
        worker.MapPost("/jobs/{lease}/complete", CompleteAsync)
            .WithSummary("Report how the job ended, with the log's last bytes and stored results; optionally lease the next job in the same call");
        worker.MapPost("/jobs/{lease}/release", ReleaseAsync).WithSummary("Hand the job back unfinished (worker shutdown)");
        worker.MapGet("/blobs/{sha256}", DownloadBlob).WithSummary("Download a blob by digest: uploaded sources, or a built RPM a job builds against");
        return app;
    }

    private static Task<List<WorkerDto>> ListAsync(WorkerService workers, CancellationToken cancellationToken) => workers.ListAsync(cancellationToken);

    private static async Task<Results<Ok<WorkerDto>, ProblemHttpResult>> ApplyAsync(string name, string action, WorkerService workers, System.Security.Claims.ClaimsPrincipal user, CancellationToken cancellationToken) =>
        OkOrProblem(await workers.ApplyAsync(name, action, user.TokenName(), cancellationToken));

    private static async Task<Results<Ok<JobLease>, NoContent, ProblemHttpResult>> LeaseAsync(LeaseRequest request, JobService jobs, CancellationToken cancellationToken)
    {
        if (LeaseRequestProblem(request) is { } problem)
        {
            return problem;
        }

        try
        {
            return await jobs.LeaseAsync(request, cancellationToken) is { } lease ? TypedResults.Ok(lease) : TypedResults.NoContent();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker hung up (or the server is stopping): no job was claimed for it.
            return TypedResults.NoContent();
        }
    }

    private static async Task<Results<Ok<HeartbeatResult>, ProblemHttpResult>> HeartbeatAsync(string lease, JobService jobs, CancellationToken cancellationToken) =>
        OkOrProblem(await jobs.HeartbeatAsync(lease, cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> AppendLogAsync(string lease, long offset, HttpRequest request, JobService jobs, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        var result = await jobs.AppendLogAsync(lease, offset, body.ToArray(), cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : Problem(result);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PutArtifactAsync(
        string lease, string name, string kind, string sha256, HttpRequest request, JobService jobs, CancellationToken cancellationToken)
    {
        var result = await jobs.PutArtifactAsync(lease, name, kind, sha256, request.Body, cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : Problem(result);
    }

    private static async Task<Results<Ok<CompleteJobResult>, ProblemHttpResult>> CompleteAsync(string lease, CompleteJobRequest request, JobService jobs, CancellationToken cancellationToken)
    {
        if (request.Next is { } next && LeaseRequestProblem(next) is { } problem)
        {
            return problem;
        }

        var result = await jobs.CompleteAsync(lease, request, cancellationToken);
        if (!result.IsSuccess)
        {
            return Problem(result);
        }

        // The next job in the same round trip, only when one is ready now: a completion is never held open waiting.
        var following = request.Next is { } ask ? await jobs.LeaseAsync(ask with { WaitSeconds = 0 }, cancellationToken) : null;
        return TypedResults.Ok(new CompleteJobResult(result.Value.ToApiName(), following));
    }

    private static ProblemHttpResult? LeaseRequestProblem(LeaseRequest request) =>
        string.IsNullOrWhiteSpace(request.Worker) || request.Worker.Length > 128 || string.IsNullOrWhiteSpace(request.Arch)
            ? TypedResults.Problem(title: "Invalid request", detail: "worker and arch are required", statusCode: StatusCodes.Status400BadRequest)
            : null;

    private static async Task<Results<NoContent, ProblemHttpResult>> ReleaseAsync(string lease, JobService jobs, CancellationToken cancellationToken)
    {
        var result = await jobs.ReleaseAsync(lease, cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : Problem(result);
    }

    private static Results<FileStreamHttpResult, ProblemHttpResult> DownloadBlob(string sha256, ArtifactStore store, HttpContext context)
    {
        if (!Forgeline.Core.Sha256Hex.IsValid(sha256) || store.OpenRead(sha256) is not { } content)
        {
            return TypedResults.Problem(title: "Not found", detail: $"no blob {sha256}", statusCode: StatusCodes.Status404NotFound);
        }

        context.Response.Headers["X-Checksum-Sha256"] = sha256;
        return TypedResults.File(content, "application/octet-stream");
    }
}
