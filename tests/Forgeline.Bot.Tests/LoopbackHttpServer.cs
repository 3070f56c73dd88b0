using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Forgeline.Bot.Tests;

/// <summary>
/// A real HTTP server on a free loopback port standing for a service the bot calls (the CLA service, a job's URL): it
/// records every request and answers with <c>respond</c>.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<Request, (int Status, string Body)> respond;
    private readonly Task loop;

    /// <summary>Starts serving; <paramref name="respond"/> gives the status and JSON body for each request.</summary>
    public LoopbackHttpServer(Func<Request, (int Status, string Body)> respond)
    {
        this.respond = respond;
        BaseUrl = $"http://127.0.0.1:{FreePort()}/";
        listener.Prefixes.Add(BaseUrl);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The server's URL, ending in a slash.</summary>
    public string BaseUrl { get; }

    /// <summary>Every request so far.</summary>
    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>A URL on loopback where nothing listens (a service that is down).</summary>
    public static string DeadUrl(string path) => $"http://127.0.0.1:{FreePort()}/{path}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = new Request(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, context.Request.ContentType, await reader.ReadToEndAsync());
            Requests.Enqueue(request);
            var (status, body) = respond(request);
            var bytes = Encoding.UTF8.GetBytes(body);
            response.StatusCode = status;
            // The managed HttpListener sometimes drops a kept-alive connection the client then reuses; one per request is reliable.
            response.KeepAlive = false;
            response.ContentType = "application/json";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }
    }

    /// <summary>One request the server received.</summary>
    /// <param name="Method">GET, POST ….</param>
    /// <param name="PathAndQuery">The path and query, still escaped as sent.</param>
    /// <param name="ContentType">The body's media type.</param>
    /// <param name="Body">The body as text.</param>
    public sealed record Request(string Method, string PathAndQuery, string? ContentType, string Body);
}
