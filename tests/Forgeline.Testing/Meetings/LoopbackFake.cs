using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// A <see cref="LoopbackWebApp"/> that answers every request with one handler and records each call (method,
/// path, query, headers, status) — the hosting the fake video platforms and the fake recording server share.
/// </summary>
public sealed class LoopbackFake : IAsyncDisposable
{
    private const string FakeKey = "forgeline.loopback.fake";
    private const string RecordedKey = "forgeline.loopback.recorded";
    private readonly WebApplication app;

    private LoopbackFake(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The server's base URL, <c>http://127.0.0.1:{port}</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Every call answered, in the order the answers started (a cut connection's status is 0 unless its answer had started).</summary>
    public ConcurrentQueue<LoopbackCall> Calls { get; } = new();

    /// <summary>Starts a server answering with <paramref name="handler"/>.</summary>
    public static async Task<LoopbackFake> StartAsync(RequestDelegate handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var app = LoopbackWebApp.Create();
        LoopbackFake? fake = null;
        app.Run(async context =>
        {
            // Recorded when the answer starts, before the client can see it, so a test never looks before the call is there.
            context.Items[FakeKey] = fake;
            context.Response.OnStarting(() =>
            {
                Record(context, context.Response.StatusCode);
                return Task.CompletedTask;
            });
            try
            {
                await handler(context);
            }
            finally
            {
                Record(context, context.RequestAborted.IsCancellationRequested ? 0 : context.Response.StatusCode);
            }
        });
        fake = new LoopbackFake(app, (await LoopbackWebApp.StartAsync(app)).Port);
        return fake;
    }

    /// <summary>Cuts <paramref name="context"/>'s connection, recorded as status 0.</summary>
    public static void Cut(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Record(context, 0);
        context.Abort();
    }

    private static void Record(HttpContext context, int status)
    {
        if (context.Items.TryAdd(RecordedKey, true) && context.Items[FakeKey] is LoopbackFake fake)
        {
            fake.Calls.Enqueue(LoopbackCall.From(context, status));
        }
    }

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> on this server.</summary>
    public Uri Url(string pathAndQuery) => new($"{BaseUrl}{pathAndQuery}");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
