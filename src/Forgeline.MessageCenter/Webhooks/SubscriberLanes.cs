using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Forgeline.MessageCenter.Webhooks;

/// <summary>
/// One queue and its own senders per subscription, so a slow or hanging subscriber only ever delays its own deliveries.
/// A lane's queue is bounded; what does not fit stays claimed in the database and is picked up again when the claim lapses.
/// </summary>
internal sealed class SubscriberLanes(WebhookSender sender, DeliveryResultWriter results, IOptions<MessageCenterOptions> options) : IAsyncDisposable
{
    private const int QueueCapacity = 20_000;
    private readonly ConcurrentDictionary<long, Lane> lanes = new();
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Queues <paramref name="work"/> on its subscription's lane; false when the lane is full.</summary>
    public bool TryQueue(WebhookWork work) => lanes.GetOrAdd(work.SubscriptionId, _ => StartLane()).Queue.Writer.TryWrite(work);

    /// <summary>Stops the lanes of subscriptions that no longer exist.</summary>
    public void Retain(IReadOnlySet<long> subscriptionIds)
    {
        foreach (var id in lanes.Keys.Where(id => !subscriptionIds.Contains(id)))
        {
            if (lanes.TryRemove(id, out var lane))
            {
                lane.Queue.Writer.TryComplete();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        foreach (var lane in lanes.Values)
        {
            lane.Queue.Writer.TryComplete();
        }

        await Task.WhenAll(lanes.Values.SelectMany(l => l.Senders)).ContinueWith(_ => { }, TaskScheduler.Default);
        stopping.Dispose();
    }

    private Lane StartLane()
    {
        var queue = Channel.CreateBounded<WebhookWork>(new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        var senders = Enumerable.Range(0, options.Value.ConcurrencyPerSubscription).Select(_ => Task.Run(() => SendAllAsync(queue.Reader))).ToArray();
        return new Lane(queue, senders);
    }

    private async Task SendAllAsync(ChannelReader<WebhookWork> queue)
    {
        try
        {
            await foreach (var work in queue.ReadAllAsync(stopping.Token))
            {
                var attempt = await sender.SendAsync(work, stopping.Token);
                results.Post(work, attempt);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: what is left stays claimed and is sent again after the claim lapses (at least once).
        }
    }

    private sealed record Lane(Channel<WebhookWork> Queue, Task[] Senders);
}
