using System.Diagnostics;
using System.Net.Http.Headers;

namespace Forgeline.BotDeliveries;

/// <summary>
/// Sends deliveries to a webhook URL as a forge would (POST, the GitHub headers, the signed body) over keep-alive
/// HTTP/1.1 connections: as fast as <c>connections</c> concurrent senders go, or paced at a steady rate.
/// </summary>
internal sealed class WebhookReplayer : IDisposable
{
    private readonly HttpClient http;

    /// <summary>A replayer with at most <paramref name="connections"/> connections per server.</summary>
    public WebhookReplayer(int connections)
    {
        http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseProxy = false,
        })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("GitHub-Hookshot/bench");
    }

    /// <summary>Sends every delivery, <paramref name="connections"/> at a time, each sender taking the next one as soon as its answer came.</summary>
    public async Task<Replay> BurstAsync(Uri hook, IReadOnlyList<Delivery> deliveries, int connections)
    {
        var sentAt = new DateTimeOffset[deliveries.Count];
        var status = new int[deliveries.Count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < deliveries.Count)
            {
                (sentAt[i], status[i]) = await SendAsync(hook, deliveries[i]);
            }
        }));
        return new Replay(sentAt, status, clock.Elapsed);
    }

    /// <summary>Sends delivery <c>i</c> at <c>i / perSecond</c> seconds after the start, whatever the earlier answers.</summary>
    public async Task<Replay> PacedAsync(Uri hook, IReadOnlyList<Delivery> deliveries, double perSecond)
    {
        var sentAt = new DateTimeOffset[deliveries.Count];
        var status = new int[deliveries.Count];
        var sends = new List<Task>(deliveries.Count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < deliveries.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var index = i;
            sends.Add(Task.Run(async () => (sentAt[index], status[index]) = await SendAsync(hook, deliveries[index])));
        }

        await Task.WhenAll(sends);
        return new Replay(sentAt, status, clock.Elapsed);
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private async Task<(DateTimeOffset SentAt, int Status)> SendAsync(Uri hook, Delivery delivery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, hook) { Content = new ByteArrayContent(delivery.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", delivery.Event);
        request.Headers.Add("X-GitHub-Delivery", delivery.Id);
        request.Headers.Add("X-Hub-Signature-256", delivery.Signature);
        var sentAt = DateTimeOffset.UtcNow;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            return (sentAt, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (sentAt, 0);
        }
    }
}
