using System.Text.Json;
using Forgeline.Core.Client;

namespace Forgeline.EndToEnd.Tests;

/// <summary>Reads a server's events from the start of its outbox over the SSE stream, as a resuming client would.</summary>
internal static class OutboxEvents
{
    /// <summary>The events the client may see whose type matches <paramref name="type"/>, waiting until <paramref name="done"/> holds for them.</summary>
    public static async Task<List<JsonElement>> ReadAsync(ForgelineClient client, string type, Func<List<JsonElement>, bool> done)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<JsonElement>();
        await foreach (var (_, json) in client.StreamEventsAsync([type], after: 0, cts.Token))
        {
            events.Add(JsonDocument.Parse(json).RootElement.Clone());
            if (done(events))
            {
                break;
            }
        }

        return events;
    }
}
