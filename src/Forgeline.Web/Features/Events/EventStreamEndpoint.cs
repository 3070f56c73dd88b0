using System.Globalization;
using System.Security.Claims;
using System.Text;
using Forgeline.Core.MessageCenter;
using Forgeline.MessageCenter;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Forgeline.Web.Features.Events;

/// <summary>
/// <c>GET /api/v1/events/stream[?type=PATTERN]</c>: Server-Sent Events, one per CloudEvent the caller may see, with
/// <c>id:</c> = its outbox position and <c>data:</c> = its structured JSON (one line). A client that reconnects with
/// <c>Last-Event-ID</c> (or <c>?after=</c>) gets every event it missed, then the live ones.
/// </summary>
public static class EventStreamEndpoint
{
    private static readonly byte[] KeepAlive = Encoding.UTF8.GetBytes(": connected\n\n");

    /// <summary>Streams until the client goes away.</summary>
    public static async Task StreamAsync(HttpContext context, ClaimsPrincipal user, EventStream stream, string[]? type, long? after)
    {
        var patterns = type ?? [];
        if (patterns.FirstOrDefault(p => !EventTypePattern.IsValid(p)) is { } bad)
        {
            await Results.Problem(title: "Invalid request", detail: $"type pattern '{bad}' is not valid: {EventTypePattern.Rule}", statusCode: StatusCodes.Status400BadRequest)
                .ExecuteAsync(context);
            return;
        }

        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString();
        long? resume = after;
        if (lastEventId.Length > 0)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                await Results.Problem(title: "Invalid request", detail: "Last-Event-ID must be the id: of an event this stream sent", statusCode: StatusCodes.Status400BadRequest)
                    .ExecuteAsync(context);
                return;
            }

            resume = parsed;
        }

        var cancellationToken = context.RequestAborted;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            var start = resume ?? await stream.NewestAsync(cancellationToken);
            await context.Response.Body.WriteAsync(KeepAlive, cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
            await foreach (var e in stream.FollowAsync(user.ToEventViewer(), patterns, start, cancellationToken))
            {
                await context.Response.WriteAsync($"id: {e.Id.ToString(CultureInfo.InvariantCulture)}\ndata: ", cancellationToken);
                await context.Response.Body.WriteAsync(CloudEventEncoder.Encode(e), cancellationToken);
                await context.Response.WriteAsync("\n\n", cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}
