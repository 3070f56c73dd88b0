using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// A Kestrel server on a free loopback port that answers every request with one handler and records each call (method,
/// path, query, headers, status) — the hosting the fake video platforms and the fake recording server share.
/// </summary>
public sealed class LoopbackFake : IAsyncDisposable
{
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

    /// <summary>Every call answered, in the order the answers were finished.</summary>
    public ConcurrentQueue<LoopbackCall> Calls { get; } = new();

    /// <summary>Starts a server answering with <paramref name="handler"/>.</summary>
    public static async Task<LoopbackFake> StartAsync(RequestDelegate handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Limits.MaxRequestBodySize = null).UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LoopbackFake? fake = null;
        app.Run(async context =>
        {
            try
            {
                await handler(context);
            }
            finally
            {
                fake?.Calls.Enqueue(LoopbackCall.From(context));
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new LoopbackFake(app, new Uri(address).Port);
        return fake;
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
