using System.Collections.Concurrent;
using Forgeline.Core.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Events.InProcess;

/// <summary>
/// The event bus when every server target runs in one process (no <c>FORGELINE_BROKER</c>): broadcast through a channel per
/// subscriber, work queues in memory. Nothing survives the process; use RabbitMQ when targets run apart.
/// </summary>
public sealed class InProcessEventBus : IEventBus, IEventBusHealth, IAsyncDisposable
{
    private readonly EventsOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<InProcessEventBus> logger;
    private readonly LocalSubscribers subscribers;
    private readonly ConcurrentDictionary<string, MemoryWorkQueue> queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<MemoryQueueConsumer, byte> consumers = new();
    private int disposed;

    /// <summary>Creates the bus.</summary>
    public InProcessEventBus(IOptions<EventsOptions> options, ILogger<InProcessEventBus> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.logger = logger;
        this.timeProvider = timeProvider;
        subscribers = new LocalSubscribers(this.options.SubscriberBufferSize, TimeSpan.FromSeconds(this.options.StopTimeoutSeconds), logger);
    }

    /// <inheritdoc />
    public string InstanceId { get; } = EventBusArguments.NewInstanceId();

    /// <inheritdoc />
    public bool IsHealthy => Volatile.Read(ref disposed) == 0;

    /// <inheritdoc />
    public string Status => IsHealthy ? "in-process" : "in-process: stopped";

    /// <inheritdoc />
    /// <remarks>Raised only when the bus is disposed: in-process events cannot lose a connection.</remarks>
    public event EventHandler? HealthChanged;

    /// <inheritdoc />
    public ValueTask PublishAsync(ForgelineEvent e, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        EventBusArguments.CheckKind(e.Kind, nameof(e));
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        subscribers.Deliver(e with { Origin = InstanceId, At = e.At == default ? timeProvider.GetUtcNow() : e.At });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IAsyncDisposable> SubscribeAsync(
        IReadOnlyCollection<string> kinds, Func<ForgelineEvent, CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        EventBusArguments.CheckKinds(kinds, nameof(kinds));
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();
        return ValueTask.FromResult<IAsyncDisposable>(subscribers.Add(kinds, handler));
    }

    /// <inheritdoc />
    public ValueTask EnqueueAsync(string queueName, ReadOnlyMemory<byte> body, string messageId, CancellationToken cancellationToken = default)
    {
        EventBusArguments.CheckQueueName(queueName, nameof(queueName));
        EventBusArguments.CheckMessageId(messageId, nameof(messageId));
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        Queue(queueName).Add(new MemoryMessage(messageId, body.ToArray(), Redelivered: false));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IAsyncDisposable> ConsumeAsync(
        string queueName, int prefetch, Func<QueuedMessage, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        EventBusArguments.CheckQueueName(queueName, nameof(queueName));
        EventBusArguments.CheckPrefetch(prefetch, nameof(prefetch));
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();
        var consumer = new MemoryQueueConsumer(Queue(queueName), prefetch, handler, options, timeProvider, logger, c => consumers.TryRemove(c, out _));
        consumers[consumer] = 0;
        return ValueTask.FromResult<IAsyncDisposable>(consumer);
    }

    /// <summary>Stops every consumer (handing back what they hold) and every subscription.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(consumers.Keys.Select(c => c.DisposeAsync().AsTask()));
        await subscribers.DisposeAllAsync();
        HealthChanged?.Invoke(this, EventArgs.Empty);
    }

    private MemoryWorkQueue Queue(string name) => queues.GetOrAdd(name, n => new MemoryWorkQueue(n));

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
}
