using System.Net;
using System.Net.Sockets;
using Forgeline.Repositories;

namespace Forgeline.Repositories.Tests;

/// <summary>
/// Serves one repository over HTTP on loopback the way the server will: every path through
/// <see cref="RepositoryPublisher.Resolve"/>, plus the repository's public key at <c>/key.asc</c>.
/// </summary>
public sealed class RepositoryHttpServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly RepositoryPublisher publisher;
    private readonly string publicKey;
    private readonly Task loop;

    /// <summary>Starts serving on a free loopback port.</summary>
    public RepositoryHttpServer(RepositoryPublisher publisher, string publicKey)
    {
        this.publisher = publisher;
        this.publicKey = publicKey;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            BaseUrl = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
        }

        listener.Prefixes.Add(BaseUrl);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    /// <summary>The repository's URL, ending in a slash.</summary>
    public string BaseUrl { get; }

    /// <summary>The public key's URL.</summary>
    public string KeyUrl => BaseUrl + "key.asc";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
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
            var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'));
            byte[]? body = path == "key.asc" ? System.Text.Encoding.ASCII.GetBytes(publicKey)
                : publisher.Resolve(path) is { } file ? await File.ReadAllBytesAsync(file) : null;
            response.StatusCode = body is null ? 404 : 200;
            if (body is not null)
            {
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body);
            }
        }
    }
}
