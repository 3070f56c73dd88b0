using System.Diagnostics;
using System.Net.Http.Headers;

namespace Forgeline.BotDeliveries;

/// <summary>What one replay did: per delivery when it was sent and the answer's status, and the whole replay's wall time.</summary>
/// <param name="SentAt">Taken just before each request was sent (wall clock, as the fake forge stamps its calls).</param>
/// <param name="Status">Each answer's status code (0 when the request failed).</param>
/// <param name="Elapsed">From the first request sent to the last answer received.</param>
internal sealed record Replay(DateTimeOffset[] SentAt, int[] Status, TimeSpan Elapsed)
{
    /// <summary>How many were answered 202 (stored).</summary>
    public int Accepted => Status.Count(s => s == 202);

    /// <summary>Accepted deliveries per second over the whole replay.</summary>
    public double AcceptedPerSecond => Accepted / Elapsed.TotalSeconds;

    /// <summary>The answers other than 202, e.g. <c>500 x3</c>, or "none".</summary>
    public string Others => Status.Any(s => s != 202)
        ? string.Join(", ", Status.Where(s => s != 202).GroupBy(s => s).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))} x{g.Count()}"))
        : "none";
}

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
