using System.Diagnostics;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Forgeline.Core.MessageCenter;

namespace Forgeline.EventsBench;

/// <summary>
/// The baseline: POSTs payloads straight to the subscribers, signed the same way, with the same number of requests in
/// flight per subscriber as the dispatcher, each payload released at its scheduled moment (or all at once).
/// </summary>
internal static class DirectFanOut
{
    /// <summary>Sends every payload to every URL; returns each delivery's release ticks, by event id.</summary>
    public static async Task<Dictionary<string, long>> RunAsync(
        IReadOnlyList<(string Id, TimeSpan Offset, byte[] Body)> payloads, IReadOnlyList<string> urls, string secret, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var released = new Dictionary<string, long>();
        var lanes = urls.Select(_ => Channel.CreateUnbounded<(string Id, byte[] Body)>()).ToArray();
        var senders = urls.SelectMany((url, i) => Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var (id, body) in lanes[i].Reader.ReadAllAsync())
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(secret, body));
                request.Headers.Add("webhook-id", id);
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        }))).ToArray();
        var start = Stopwatch.GetTimestamp();
        foreach (var (id, offset, body) in payloads)
        {
            var due = start + (long)(offset.TotalSeconds * Stopwatch.Frequency);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            released[id] = Stopwatch.GetTimestamp();
            foreach (var lane in lanes)
            {
                lane.Writer.TryWrite((id, body));
            }
        }

        foreach (var lane in lanes)
        {
            lane.Writer.Complete();
        }

        await Task.WhenAll(senders);
        return released;
    }
}
