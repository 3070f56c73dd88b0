using Forgeline.Core.Playground;
using Forgeline.Playground.Server;
using Forgeline.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static Forgeline.Web.Features.ServiceResultHttp;

namespace Forgeline.Web.Features.Playground;

/// <summary>
/// Routes of <c>/api/v1/playground</c>: environments (admins write them, anyone reads them), sessions (start, list,
/// end, and the terminal's WebSocket), and the reports of playground hosts.
/// </summary>
public static class PlaygroundEndpoints
{
    /// <summary>Maps the playground's API.</summary>
    public static IEndpointRouteBuilder MapPlaygroundEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/playground").WithTags("Playground");
        api.MapGet("/environments", (PlaygroundEnvironmentService environments, CancellationToken ct) => environments.ListAsync(ct))
            .WithSummary("Playground environments, by name");
        api.MapGet("/environments/{name}", async Task<Results<Ok<PlaygroundEnvironmentDto>, ProblemHttpResult>> (string name, PlaygroundEnvironmentService environments, CancellationToken ct) =>
            OkOrProblem(await environments.GetAsync(name, ct))).WithSummary("One playground environment");
        api.MapGet("/environments/{name}/course", async Task<Results<ContentHttpResult, ProblemHttpResult>> (string name, PlaygroundEnvironmentService environments, CancellationToken ct) =>
            await environments.GetAsync(name, ct) is var found && found.IsSuccess
                ? TypedResults.Content(PlaygroundCourse.ToHtml(found.Value!.Definition.Course), "text/html; charset=utf-8")
                : Problem(found)).WithSummary("The environment's course as HTML (Markdown rendered without raw HTML, safe links only)");
        api.MapPut("/environments/{name}", async Task<Results<Ok<PlaygroundEnvironmentDto>, ProblemHttpResult>> (string name, PlaygroundEnvironmentDefinition definition, PlaygroundEnvironmentService environments, CancellationToken ct) =>
            OkOrProblem(await environments.PutAsync(name, definition, ct))).RequireAuthorization(Scopes.Admin).WithSummary("Make or replace a playground environment (admins)");
        api.MapDelete("/environments/{name}", async Task<Results<NoContent, ProblemHttpResult>> (string name, PlaygroundEnvironmentService environments, CancellationToken ct) =>
            await environments.DeleteAsync(name, ct) is { IsSuccess: false } failed ? Problem(failed) : TypedResults.NoContent())
            .RequireAuthorization(Scopes.Admin).WithSummary("Delete a playground environment (admins); running sessions go on");

        api.MapPost("/sessions", async Task<Results<Created<PlaygroundSessionDto>, ProblemHttpResult>> (StartPlaygroundSessionRequest request, HttpContext context, PlaygroundBroker broker, CancellationToken ct) =>
            await broker.StartAsync(request.Environment ?? "", CallerOf(context), ct) is var started && started.IsSuccess
                ? TypedResults.Created($"/api/v1/playground/sessions/{started.Value!.Id}", started.Value)
                : Problem(started))
            .WithSummary("Start a session (signed in, or anyone for an anonymous environment); the answer names its terminal's WebSocket");
        api.MapGet("/sessions", (HttpContext context, PlaygroundBroker broker) => broker.List(CallerOf(context)))
            .RequireAuthorization().WithSummary("Sessions: admins see all with what each uses, others their own");
        api.MapGet("/sessions/{id}", Results<Ok<PlaygroundSessionDto>, ProblemHttpResult> (string id, string? key, HttpContext context, PlaygroundBroker broker) =>
            OkOrProblem(broker.Get(id, CallerOf(context), key))).WithSummary("One session (its owner, whoever holds its key, or an admin)");
        api.MapDelete("/sessions/{id}", Results<NoContent, ProblemHttpResult> (string id, string? key, HttpContext context, PlaygroundBroker broker) =>
            broker.End(id, CallerOf(context), key) is { IsSuccess: false } failed ? Problem(failed) : TypedResults.NoContent())
            .WithSummary("End a session (its owner, whoever holds its key, or an admin): its processes and files are gone");
        api.MapGet("/sessions/{id}/terminal", TerminalAsync).ExcludeFromDescription();

        api.MapGet("/hosts", (PlaygroundBroker broker) => broker.Hosts().Select(h => new { h.Name, h.Capacity, h.Sessions }))
            .RequireAuthorization(Scopes.Admin).WithSummary("Playground hosts, their capacity and sessions (admins)");
        api.MapPut("/hosts/{name}", Results<Ok<PlaygroundHostAnswer>, ProblemHttpResult> (string name, PlaygroundHostReport report, PlaygroundBroker broker, RemoteHosts remote) =>
        {
            if (!Forgeline.Core.ResourceName.IsValid(name) || !Uri.TryCreate(report.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || report.Secret is not { Length: >= 32 } || report.Capacity < 0)
            {
                return TypedResults.Problem(title: "Invalid request", detail: "a host report has a valid name, an http(s) url, a secret of at least 32 characters and a capacity", statusCode: StatusCodes.Status400BadRequest);
            }

            return TypedResults.Ok(new PlaygroundHostAnswer(broker.Report(name, report, () => new RemoteHostClient(name, report, remote.Http))));
        }).RequireAuthorization(Scopes.PlaygroundHost).WithSummary("A playground host's report (playground-host tokens)");
        return app;
    }

    private static async Task TerminalAsync(string id, string? key, HttpContext context, PlaygroundBroker broker)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(title: "Invalid request", detail: "the terminal is a WebSocket", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        // A page of another site cannot open a terminal with the visitor's cookies (cross-site WebSocket hijacking).
        if (context.Request.Headers.Origin.ToString() is { Length: > 0 } origin
            && (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || !string.Equals(from.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            await Results.Problem(title: "Not allowed", detail: "the terminal opens from Forgeline's own pages only", statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context);
            return;
        }

        if (!broker.MayAttach(id, key))
        {
            await Results.Problem(title: "Not found", detail: $"there is no playground session '{id}' with that key", statusCode: StatusCodes.Status404NotFound).ExecuteAsync(context);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        await broker.AttachAsync(id, socket, context.RequestAborted);
    }

    private static PlaygroundCaller CallerOf(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return new PlaygroundCaller("anonymous", false, false, "anonymous@" + context.Connection.RemoteIpAddress);
        }

        var name = user.QueueOwner();
        return new PlaygroundCaller(name, true, user.IsAdmin(), "user:" + name);
    }
}
