using Forgeline.Builds;
using Forgeline.Core.Builds;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Queue;

/// <summary>Routes of <c>/api/v1/queue</c> and <c>/api/v1/owners</c>: the fair queue and the owners' shares.</summary>
public static class QueueEndpoints
{
    /// <summary>Maps the queue view and owner weights.</summary>
    public static IEndpointRouteBuilder MapQueueEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Queue");
        api.MapGet("/queue", GetAsync).WithSummary("Queued builds in the order they would start, per owner, with estimated start times");
        api.MapGet("/owners", (QueueService queue, CancellationToken ct) => queue.ListOwnersAsync(ct)).WithSummary("Owners whose weight an admin set");
        api.MapPut("/owners/{name}", SetWeightAsync).RequireAuthorization(Scopes.Admin).WithSummary("Set an owner's share of the worker slots");
        return app;
    }

    private static Task<QueueDto> GetAsync(QueueService queue, string? owner, string? arch, int? limit, CancellationToken cancellationToken) =>
        queue.GetAsync(owner, arch, limit ?? 100, cancellationToken);

    private static async Task<Results<Ok<OwnerDto>, ProblemHttpResult>> SetWeightAsync(string name, SetOwnerWeightRequest request, QueueService queue, CancellationToken cancellationToken) =>
        OkOrProblem(await queue.SetWeightAsync(name, request.Weight, cancellationToken));
}
