using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Forgeline.Core.MessageCenter;

namespace Forgeline.Core.Client;

/// <summary>The message center: webhook subscriptions, their deliveries, and the live event stream.</summary>
public sealed partial class ForgelineClient
{
    /// <summary>Subscribes a webhook; the answer holds its secret, shown once.</summary>
    public async Task<CreatedSubscriptionDto> CreateSubscriptionAsync(CreateSubscriptionRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/v1/events/subscriptions", request, ForgelineJson.Options, cancellationToken);
        return await ReadAsync<CreatedSubscriptionDto>(response, cancellationToken);
    }

    /// <summary>Your subscriptions (an admin's: everyone's).</summary>
    public async Task<List<SubscriptionDto>> ListSubscriptionsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync("api/v1/events/subscriptions", cancellationToken);
        return await ReadAsync<List<SubscriptionDto>>(response, cancellationToken);
    }

    /// <summary>Deletes a subscription.</summary>
    public async Task DeleteSubscriptionAsync(long id, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync($"api/v1/events/subscriptions/{id}", cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>A subscription's deliveries, newest first.</summary>
    public async Task<List<DeliveryDto>> ListDeliveriesAsync(long id, int limit = 100, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"api/v1/events/subscriptions/{id}/deliveries?limit={limit}", cancellationToken);
        return await ReadAsync<List<DeliveryDto>>(response, cancellationToken);
    }

    /// <summary>
    /// Follows the server's event stream (SSE): each event's outbox position and CloudEvent JSON, from after
    /// <paramref name="after"/> (or from now), matching <paramref name="types"/> (all when empty), until cancelled.
    /// </summary>
    public async IAsyncEnumerable<(long Id, string Json)> StreamEventsAsync(
        IReadOnlyList<string>? types = null, long? after = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', (types ?? []).Select(t => "type=" + Uri.EscapeDataString(t)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/events/stream" + (query.Length > 0 ? "?" + query : ""));
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (after is { } position)
        {
            request.Headers.Add("Last-Event-ID", position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        long id = 0;
        var data = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return (id, data.ToString());
                    data.Clear();
                }
            }
            else if (line.StartsWith("id:", StringComparison.Ordinal))
            {
                id = long.Parse(line.AsSpan(3).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line.AsSpan(5).TrimStart());
            }
        }
    }
}
