using System.Security.Claims;
using Forgeline.Core.MessageCenter;
using Forgeline.MessageCenter;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Forgeline.Web.Features.Events;

/// <summary>Routes of <c>/api/v1/events</c>: webhook subscriptions, their deliveries, and the live SSE stream. Any signed-in principal.</summary>
public static class EventEndpoints
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/events").WithTags("Events").RequireAuthorization();
        api.MapPost("/subscriptions", CreateAsync).WithSummary("Subscribe a webhook to event types; the secret is in this answer only");
        api.MapGet("/subscriptions", ListAsync).WithSummary("Your webhook subscriptions (an admin's: everyone's)");
        api.MapDelete("/subscriptions/{id:long}", DeleteAsync).WithSummary("Delete a subscription and its deliveries");
        api.MapGet("/subscriptions/{id:long}/deliveries", DeliveriesAsync).WithSummary("A subscription's deliveries, newest first, with status, attempts and last error");
        api.MapGet("/stream", EventStreamEndpoint.StreamAsync).WithSummary("Server-Sent Events: each CloudEvent you may see as it happens; resumes after Last-Event-ID");
        return app;
    }

    private static async Task<Results<Created<CreatedSubscriptionDto>, ProblemHttpResult>> CreateAsync(
        CreateSubscriptionRequest request, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var created = await subscriptions.CreateAsync(user.ToEventViewer(), request, cancellationToken);
        return created.IsSuccess
            ? TypedResults.Created($"/api/v1/events/subscriptions/{created.Value!.Subscription.Id}", created.Value)
            : ServiceResultHttp.Problem(created);
    }

    private static Task<List<SubscriptionDto>> ListAsync(ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken cancellationToken) =>
        subscriptions.ListAsync(user.ToEventViewer(), cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken cancellationToken)
    {
        var deleted = await subscriptions.DeleteAsync(user.ToEventViewer(), id, cancellationToken);
        return deleted.IsSuccess ? TypedResults.NoContent() : ServiceResultHttp.Problem(deleted);
    }

    private static async Task<Results<Ok<List<DeliveryDto>>, ProblemHttpResult>> DeliveriesAsync(
        long id, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken cancellationToken, int limit = 100) =>
        ServiceResultHttp.OkOrProblem(await subscriptions.DeliveriesAsync(user.ToEventViewer(), id, limit, cancellationToken));
}
