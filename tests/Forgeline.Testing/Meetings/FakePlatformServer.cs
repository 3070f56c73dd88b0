using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// What every fake meeting platform (<see cref="FakeZoom"/>, <see cref="FakeTencentMeeting"/>, <see cref="FakeWeLink"/>)
/// runs on: a <see cref="LoopbackWebApp"/> that hands each request to the platform's route, records every call, and can
/// fail the next calls with a status (429, 500 …) and <c>Retry-After</c>, answered in the platform's error shape.
/// </summary>
public sealed class FakePlatformServer : IAsyncDisposable
{
    private readonly Lock faultLock = new();
    private readonly Func<HttpRequest, string, (int Status, JsonNode? Answer)> route;
    private readonly Func<int, JsonNode> faultAnswer;
    private WebApplication? app;
    private int faultsLeft;
    private int faultStatus;
    private string? faultRetryAfter;

    private FakePlatformServer(Func<HttpRequest, string, (int, JsonNode?)> route, Func<int, JsonNode> faultAnswer)
    {
        this.route = route;
        this.faultAnswer = faultAnswer;
    }

    /// <summary>The root URL, with a trailing slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>Every call received, in arrival order.</summary>
    public ConcurrentQueue<FakePlatformCall> Calls { get; } = new();

    /// <summary>
    /// Starts a server that answers each request with <paramref name="route"/> (the request and its body text) and an
    /// injected failure with <paramref name="faultAnswer"/> (its status).
    /// </summary>
    public static async Task<FakePlatformServer> StartAsync(Func<HttpRequest, string, (int Status, JsonNode? Answer)> route, Func<int, JsonNode> faultAnswer)
    {
        var server = new FakePlatformServer(route, faultAnswer);
        server.app = LoopbackWebApp.Create();
        server.app.Run(server.HandleAsync);
        server.Root = await LoopbackWebApp.StartAsync(server.app);
        return server;
    }

    /// <summary>Makes the next <paramref name="count"/> calls answer <paramref name="status"/>, with <c>Retry-After</c> when given.</summary>
    public void FailNext(int count, int status, string? retryAfter = null)
    {
        lock (faultLock)
        {
            faultsLeft = count;
            faultStatus = status;
            faultRetryAfter = retryAfter;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var (status, answer) = Fault(context) ?? route(request, body);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Calls.Enqueue(new FakePlatformCall(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", headers, body, status));
        context.Response.StatusCode = status;
        if (answer is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
        }
    }

    private (int, JsonNode?)? Fault(HttpContext context)
    {
        lock (faultLock)
        {
            if (faultsLeft <= 0)
            {
                return null;
            }

            faultsLeft--;
            if (faultRetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = faultRetryAfter;
            }

            return (faultStatus, faultAnswer(faultStatus));
        }
    }
}
