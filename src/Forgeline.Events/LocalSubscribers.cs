using System.Threading.Channels;
using Forgeline.Core.Events;
using Microsoft.Extensions.Logging;

namespace Forgeline.Events;

/// <summary>
/// The subscribers in this process and the hand-off to them, shared by both buses. Each subscriber has its own bounded buffer
/// and its own loop, so a slow or failing handler delays no one else and the publisher never waits.
/// </summary>
internal sealed partial class LocalSubscribers(int bufferSize, TimeSpan stopTimeout, ILogger logger)
{
    private readonly int bufferSize = bufferSize;
    private readonly TimeSpan stopTimeout = stopTimeout;
    private readonly Lock gate = new();
    private volatile LocalSubscription[] subscriptions = [];
    private long nextId;

    /// <summary>Every subscription now running.</summary>
    public IReadOnlyList<LocalSubscription> All => subscriptions;

    /// <summary>Starts a subscription; <paramref name="onDisposed"/> runs after it stopped (the RabbitMQ bus unbinds there).</summary>
    public LocalSubscription Add(IReadOnlyCollection<string> kinds, Func<ForgelineEvent, CancellationToken, ValueTask> handler, Func<LocalSubscription, ValueTask>? onDisposed = null)
    {
        var subscription = new LocalSubscription(this, Interlocked.Increment(ref nextId), kinds, handler, onDisposed);
        lock (gate)
        {
            subscriptions = [.. subscriptions, subscription];
        }

        return subscription;
    }

    /// <summary>Hands <paramref name="e"/> to every subscription that wants its kind, without waiting.</summary>
    public void Deliver(ForgelineEvent e)
    {
        foreach (var subscription in All)
        {
            subscription.Offer(e);
        }
    }

    /// <summary>Stops every subscription.</summary>
    public async ValueTask DisposeAllAsync()
    {
        foreach (var subscription in All)
        {
            await subscription.DisposeAsync();
        }
    }

    private void Remove(LocalSubscription subscription)
    {
        lock (gate)
        {
            subscriptions = [.. subscriptions.Where(s => s != subscription)];
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Subscriber {SubscriptionId} failed on a {Kind} event from {Origin}; it keeps its subscription")]
    private partial void LogHandlerFailed(Exception exception, long subscriptionId, string kind, string origin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscriber {SubscriptionId} is too slow: {Dropped} event(s) dropped so far, the latest a {Kind} event (buffer {BufferSize})")]
    private partial void LogDropped(long subscriptionId, long dropped, string kind, int bufferSize);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscriber {SubscriptionId} did not stop within {Seconds}s of being disposed; its handler ignores cancellation")]
    private partial void LogStopTimedOut(long subscriptionId, double seconds);

    /// <summary>One subscriber: its kinds, its buffer and the loop that calls its handler.</summary>
    internal sealed class LocalSubscription : IAsyncDisposable
    {
        private readonly LocalSubscribers owner;
        private readonly FrozenKinds kinds;
        private readonly Func<ForgelineEvent, CancellationToken, ValueTask> handler;
        private readonly Func<LocalSubscription, ValueTask>? onDisposed;
        private readonly Channel<ForgelineEvent> buffer;
        private readonly CancellationTokenSource stopping = new();
        private readonly Task loop;
        private long dropped;
        private int disposed;

        public LocalSubscription(LocalSubscribers owner, long id, IReadOnlyCollection<string> kinds, Func<ForgelineEvent, CancellationToken, ValueTask> handler, Func<LocalSubscription, ValueTask>? onDisposed)
        {
            this.owner = owner;
            Id = id;
            this.kinds = new FrozenKinds(kinds);
            this.handler = handler;
            this.onDisposed = onDisposed;
            buffer = Channel.CreateBounded<ForgelineEvent>(
                new BoundedChannelOptions(owner.bufferSize) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                OnDropped);
            loop = Task.Run(RunAsync);
        }

        /// <summary>Numbers subscriptions in logs.</summary>
        public long Id { get; }

        /// <summary>The kinds it asked for; empty for every kind.</summary>
        public IReadOnlyCollection<string> Kinds => kinds.Kinds;

        public void Offer(ForgelineEvent e)
        {
            if (kinds.Wants(e.Kind))
            {
                buffer.Writer.TryWrite(e);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            owner.Remove(this);
            buffer.Writer.TryComplete();
            await stopping.CancelAsync();
            try
            {
                await loop.WaitAsync(owner.stopTimeout);
            }
            catch (TimeoutException)
            {
                // A handler that ignores its token keeps running on its own; it gets no more events.
                owner.LogStopTimedOut(Id, owner.stopTimeout.TotalSeconds);
            }

            if (onDisposed is not null)
            {
                await onDisposed(this);
            }
        }

        private async Task RunAsync()
        {
            try
            {
                await foreach (var e in buffer.Reader.ReadAllAsync(stopping.Token))
                {
                    try
                    {
                        await handler(e, stopping.Token);
                    }
                    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex)
                    {
                        owner.LogHandlerFailed(ex, Id, e.Kind, e.Origin);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
        }

        private void OnDropped(ForgelineEvent e)
        {
            var count = Interlocked.Increment(ref dropped);
            if (count == 1 || count % 1000 == 0)
            {
                owner.LogDropped(Id, count, e.Kind, owner.bufferSize);
            }
        }
    }

    /// <summary>A set of kinds, where empty means every kind.</summary>
    private sealed class FrozenKinds(IReadOnlyCollection<string> kinds)
    {
        private readonly HashSet<string> set = new(kinds, StringComparer.Ordinal);

        public IReadOnlyCollection<string> Kinds { get; } = [.. kinds.Distinct(StringComparer.Ordinal)];

        public bool Wants(string kind) => set.Count == 0 || set.Contains(kind);
    }
}
