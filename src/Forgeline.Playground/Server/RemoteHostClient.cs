using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Forgeline.Core;
using Forgeline.Core.Playground;

namespace Forgeline.Playground.Server;

/// <summary>
/// A <c>forgeline playground-host</c> the server reaches over HTTP with the secret the host gave in its report; the
/// browser's WebSocket is relayed to the host's, message by message.
/// </summary>
public sealed class RemoteHostClient : IPlaygroundHostClient
{
    private readonly HttpClient http;
    private readonly Uri url;
    private readonly string secret;
    private volatile PlaygroundHostReport report;

    /// <summary>A client for the host that sent <paramref name="first"/>.</summary>
    public RemoteHostClient(string name, PlaygroundHostReport first, HttpClient http)
    {
        Name = name;
        report = first;
        url = new Uri(first.Url.TrimEnd('/') + "/");
        secret = first.Secret;
        this.http = http;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Capacity => report.Capacity;

    /// <inheritdoc />
    public IReadOnlyList<HostSessionDto> Sessions => report.Sessions;

    /// <summary>Whether <paramref name="next"/> comes from the same host process (same address and secret).</summary>
    public bool Matches(PlaygroundHostReport next) => next.Url.TrimEnd('/') + "/" == url.ToString() && next.Secret == secret;

    /// <summary>Takes the host's latest report.</summary>
    public void Update(PlaygroundHostReport next) => report = next;

    /// <inheritdoc />
    public async Task StartAsync(HostStartRequest request, IProgress<string> progress, CancellationToken cancellationToken)
    {
        progress.Report($"starting on {Name}");
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(url, "sessions")) { Content = JsonContent.Create(request, options: ForgelineJson.Options) };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var response = await http.SendAsync(message, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"the playground host {Name} answered {(int)response.StatusCode}: {ProblemText(problem)}");
        }
    }

    /// <inheritdoc />
    public async Task EndAsync(string id, string reason, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Delete, new Uri(url, $"sessions/{Uri.EscapeDataString(id)}?reason={Uri.EscapeDataString(reason)}"));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var response = await http.SendAsync(message, cancellationToken);
    }

    /// <inheritdoc />
    public async Task AttachAsync(string id, WebSocket browser, CancellationToken cancellationToken)
    {
        using var host = new ClientWebSocket();
        host.Options.SetRequestHeader("Authorization", "Bearer " + secret);
        host.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        var address = new UriBuilder(new Uri(url, $"sessions/{Uri.EscapeDataString(id)}/terminal")) { Scheme = url.Scheme == "https" ? "wss" : "ws" }.Uri;
        await host.ConnectAsync(address, cancellationToken);
        await WebSocketRelay.RunAsync(browser, host, cancellationToken);
    }

    private static string ProblemText(string body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
