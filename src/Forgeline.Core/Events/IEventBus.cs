namespace Forgeline.Core.Events;

/// <summary>
/// Carries events and work between Forgeline's server targets: in-process channels when everything runs in one process,
/// RabbitMQ (<c>FORGELINE_BROKER</c>) when targets and replicas run apart. Two styles:
/// <list type="bullet">
/// <item>broadcast (<see cref="PublishAsync"/>, <see cref="SubscribeAsync"/>): every subscriber in every process sees every
/// event of the kinds it asked for; best effort, for notifications (a process that is down or reconnecting misses them);</item>
/// <item>work queues (<see cref="EnqueueAsync"/>, <see cref="ConsumeAsync"/>): each message goes to one consumer among all
/// processes consuming the queue, is acknowledged only after its handler returns, and is delivered again if the handler
/// throws or its process stops or dies first (at least once: handlers use <see cref="QueuedMessage.MessageId"/> to skip
/// repeated work).</item>
/// </list>
/// </summary>
public interface IEventBus
{
    /// <summary>Identifies this bus (in practice, this process); it is the <see cref="ForgelineEvent.Origin"/> of what it publishes.</summary>
    string InstanceId { get; }

    /// <summary>
    /// Publishes <paramref name="e"/> to every subscriber of its kind in every process, this one included, stamped with
    /// <see cref="InstanceId"/> and the time. Completes once the bus (or the broker, which confirms it) has taken it.
    /// </summary>
    ValueTask PublishAsync(ForgelineEvent e, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="handler"/> for each event whose kind is in <paramref name="kinds"/> (every kind when empty), one at
    /// a time and in publish order per publisher. A handler that throws is logged and keeps its subscription. Completes once
    /// events published from then on will arrive; dispose the result to stop (the handler's token is then cancelled).
    /// </summary>
    ValueTask<IAsyncDisposable> SubscribeAsync(
        IReadOnlyCollection<string> kinds, Func<ForgelineEvent, CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a message to the work queue <paramref name="queueName"/> (created when missing, durable on RabbitMQ). Completes once
    /// the queue holds it (on RabbitMQ: persisted and confirmed by the broker); throws <see cref="EventBusException"/> otherwise.
    /// </summary>
    ValueTask EnqueueAsync(string queueName, ReadOnlyMemory<byte> body, string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Competes with every other consumer of <paramref name="queueName"/> in every process: runs <paramref name="handler"/> on up
    /// to <paramref name="prefetch"/> messages at once and acknowledges each when its handler returns. A message whose handler
    /// throws is handed back for another delivery; so is one in flight when the consumer is disposed or its process dies. The
    /// handler's token is cancelled when the consumer is disposed and when its broker connection drops (the broker then hands
    /// the message to a consumer again, so finishing would be wasted). Completes once the consumer is registered; dispose the
    /// result to stop.
    /// </summary>
    ValueTask<IAsyncDisposable> ConsumeAsync(
        string queueName, int prefetch, Func<QueuedMessage, CancellationToken, Task> handler, CancellationToken cancellationToken = default);
}
