using Forgeline.Builds.Targets;
using Forgeline.Core.Targets;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Targets;

/// <summary>Routes of <c>/api/v1/targets</c>: the build targets whose clean roots builds run in.</summary>
public static class TargetEndpoints
{
    /// <summary>Maps list, show, put and delete.</summary>
    public static IEndpointRouteBuilder MapTargetEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/targets").WithTags("Targets");
        api.MapGet("", (TargetService targets, CancellationToken ct) => targets.ListAsync(ct)).WithSummary("Build targets, by name (from the API and the settings)");
        api.MapGet("/{name}", async Task<Results<Ok<TargetDto>, ProblemHttpResult>> (string name, TargetService targets, CancellationToken ct) =>
            OkOrProblem(await targets.GetAsync(name, ct))).WithSummary("One build target");
        api.MapPut("/{name}", async Task<Results<Ok<TargetDto>, ProblemHttpResult>> (string name, PutTargetRequest request, TargetService targets, CancellationToken ct) =>
            OkOrProblem(await targets.PutAsync(name, request, ct))).RequireAuthorization(Scopes.Admin).WithSummary("Make or replace a build target (admins; not a settings target)");
        api.MapDelete("/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, TargetService targets, CancellationToken ct) =>
            await targets.DeleteAsync(name, ct) is { IsSuccess: false } failed ? Problem(failed) : TypedResults.NoContent())
            .RequireAuthorization(Scopes.Admin).WithSummary("Delete a build target no project builds for (admins; not a settings target)");
        return app;
    }
}
