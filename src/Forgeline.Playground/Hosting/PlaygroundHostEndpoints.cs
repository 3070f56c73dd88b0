using System.Security.Cryptography;
using System.Text;
using Forgeline.Core.Playground;
using Forgeline.Playground.Images;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Forgeline.Playground.Hosting;

/// <summary>
/// The HTTP API of <c>forgeline playground-host</c>, for the server only: start, list and end sessions, and the
/// terminal's WebSocket. Every call carries the secret the host sent the server in its report (checked in constant time).
/// </summary>
public static class PlaygroundHostEndpoints
{
    /// <summary>Maps <c>/sessions</c>.</summary>
    public static IEndpointRouteBuilder MapPlaygroundHostEndpoints(this IEndpointRouteBuilder app, PlaygroundHost host, string secret)
    {
        var expected = Encoding.ASCII.GetBytes("Bearer " + secret);
        var sessions = app.MapGroup("/sessions").AddEndpointFilter(async (context, next) =>
        {
            var given = Encoding.ASCII.GetBytes(context.HttpContext.Request.Headers.Authorization.ToString());
            return CryptographicOperations.FixedTimeEquals(given, expected)
                ? await next(context)
                : Results.Problem(title: "Not authenticated", detail: "this playground host answers its server only", statusCode: StatusCodes.Status401Unauthorized);
        });
        sessions.MapPost("", async (HostStartRequest request, CancellationToken ct) =>
        {
            try
            {
                return Results.Json(await host.StartAsync(request, null, ct), statusCode: StatusCodes.Status201Created);
            }
            catch (PlaygroundHostException e)
            {
                return Results.Problem(title: "Cannot start", detail: e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (PlaygroundImageException e)
            {
                return Results.Problem(title: "The image could not be built", detail: e.Message, statusCode: StatusCodes.Status422UnprocessableEntity);
            }
        });
        sessions.MapGet("", () => host.List());
        sessions.MapDelete("/{id}", async (string id, string? reason) =>
            await host.EndAsync(id, reason ?? "ended by the server") ? Results.NoContent() : Results.NotFound());
        sessions.MapGet("/{id}/terminal", async (HttpContext context, string id) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                return Results.Problem(detail: "this is a WebSocket", statusCode: StatusCodes.Status400BadRequest);
            }

            if (host.Find(id) is null)
            {
                return Results.NotFound();
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await host.AttachAsync(id, socket, context.RequestAborted);
            return Results.Empty;
        });
        return app;
    }
}
