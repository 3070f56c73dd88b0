using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgeline.Testing;

/// <summary>
/// A real webhook subscriber: a Kestrel server on a loopback port that records every request (body and headers) and
/// answers with what <c>respond</c> says, which may also wait (a hanging subscriber). Restartable on the same port, so a
/// test can take it down and bring it back.
/// </summary>
public sealed class WebhookSubscriber : IAsyncDisposable
{
    private readonly Func<Received, CancellationToken, Task<int>> respond;
    private WebApplication? app;

    private WebhookSubscriber(int port, Func<Received, CancellationToken, Task<int>> respond)
    {
        Port = port;
        this.respond = respond;
    }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The URL events are POSTed to.</summary>
    public string Url => $"http://127.0.0.1:{Port}/hook";

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Raised for every request received.</summary>
    public event Action<Received>? Arrived;

    /// <summary>Starts a subscriber answering 200 to everything.</summary>
    public static Task<WebhookSubscriber> StartAsync() => StartAsync((_, _) => Task.FromResult(200));

    /// <summary>Starts a subscriber answering with <paramref name="respond"/>.</summary>
    public static async Task<WebhookSubscriber> StartAsync(Func<Received, CancellationToken, Task<int>> respond)
    {
        var subscriber = new WebhookSubscriber(FreePort(), respond);
        await subscriber.StartServerAsync();
        return subscriber;
    }

    /// <summary>A subscriber made but not started: its URL refuses connections until <see cref="StartServerAsync"/>.</summary>
    public static WebhookSubscriber Down(Func<Received, CancellationToken, Task<int>>? respond = null) =>
        new(FreePort(), respond ?? ((_, _) => Task.FromResult(200)));

    /// <summary>Starts (or restarts) listening.</summary>
    public async Task StartServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{Port}");
        app = builder.Build();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var received = new Received(body.ToArray(), context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), DateTimeOffset.UtcNow);
            Requests.Enqueue(received);
            Arrived?.Invoke(received);
            context.Response.StatusCode = await respond(received, context.RequestAborted);
        });
        await app.StartAsync();
    }

    /// <summary>Stops listening (the URL then refuses connections).</summary>
    public async Task StopServerAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the requests received, up to <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyCollection<Received>, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var changed = new SemaphoreSlim(0);
        void OnArrived(Received _) => changed.Release();
        Arrived += OnArrived;
        try
        {
            while (!condition(Requests))
            {
                try
                {
                    await changed.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"the subscriber on port {Port} did not get what was expected within {timeout}; it got {Requests.Count} requests");
                }
            }
        }
        finally
        {
            Arrived -= OnArrived;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopServerAsync();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>One request as received.</summary>
    /// <param name="Body">The body's bytes.</param>
    /// <param name="Headers">Its headers (case-insensitive names).</param>
    /// <param name="At">When it arrived.</param>
    public sealed record Received(byte[] Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At)
    {
        /// <summary>The body parsed as JSON.</summary>
        public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement;

        /// <summary>The CloudEvent id of the body.</summary>
        public string EventId => Json.GetProperty("id").GetString()!;
    }
}
