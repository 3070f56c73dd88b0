using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Forgeline.Testing;

namespace Forgeline.EventsBench;

/// <summary>What the subscribers received: per subscriber, each event id with its arrival (Stopwatch ticks) and body.</summary>
internal sealed class Arrivals
{
    private readonly ConcurrentDictionary<string, (long Ticks, byte[] Body)>[] bySubscriber;
    private readonly SemaphoreSlim arrived = new(0);

    public Arrivals(IReadOnlyList<WebhookSubscriber> subscribers)
    {
        bySubscriber = [.. subscribers.Select(_ => new ConcurrentDictionary<string, (long, byte[])>())];
        for (var i = 0; i < subscribers.Count; i++)
        {
            var mine = bySubscriber[i];
            subscribers[i].Arrived += r =>
            {
                var ticks = Stopwatch.GetTimestamp();
                var id = r.Headers.TryGetValue("webhook-id", out var h) ? h : r.EventId;
                mine.TryAdd(id, (ticks, r.Body));
                arrived.Release();
            };
        }
    }

    /// <summary>Forgets everything received so far.</summary>
    public void Clear()
    {
        foreach (var d in bySubscriber)
        {
            d.Clear();
        }
    }

    /// <summary>Waits until every subscriber has <paramref name="count"/> distinct events.</summary>
    public async Task WaitAsync(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (bySubscriber.Any(d => d.Count < count))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"subscribers got {string.Join(", ", bySubscriber.Select(d => d.Count))} of {count} events each");
            }

            await arrived.WaitAsync(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Every (event id, arrival ticks) of every subscriber.</summary>
    public IEnumerable<(string Id, long Ticks)> All => bySubscriber.SelectMany(d => d.Select(kv => (kv.Key, kv.Value.Ticks)));

    /// <summary>The bodies subscriber 0 got, with their CloudEvent time, oldest first.</summary>
    public List<(string Id, DateTimeOffset Time, byte[] Body)> Payloads() =>
        [.. bySubscriber[0].Select(kv => (kv.Key, JsonDocument.Parse(kv.Value.Body).RootElement.GetProperty("time").GetDateTimeOffset(), kv.Value.Body)).OrderBy(p => p.Item2)];

    /// <summary>The latest arrival.</summary>
    public long LastTicks => All.Max(a => a.Ticks);
}
