using Forgeline.Core.Events;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Forgeline.Events.RabbitMq;

public sealed partial class RabbitMqEventBus
{
    /// <inheritdoc />
    public async ValueTask PublishAsync(ForgelineEvent e, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        EventBusArguments.CheckKind(e.Kind, nameof(e));
        var stamped = e with { Origin = InstanceId, At = e.At == default ? timeProvider.GetUtcNow() : e.At };
        var body = EventJson.Serialize(stamped);
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Transient,
            MessageId = Guid.NewGuid().ToString("N"),
            Type = e.Kind,
            AppId = "forgeline",
            Timestamp = new AmqpTimestamp(stamped.At.ToUnixTimeSeconds()),
        };
        await PublishCoreAsync(ExchangeName, e.Kind, mandatory: false, properties, body, $"the {e.Kind} event", cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IAsyncDisposable> SubscribeAsync(
        IReadOnlyCollection<string> kinds, Func<ForgelineEvent, CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        EventBusArguments.CheckKinds(kinds, nameof(kinds));
        ArgumentNullException.ThrowIfNull(handler);
        var queue = await WithConnectionAsync("subscribing", BroadcastQueueAsync, cancellationToken);
        await WithConnectionAsync("subscribing", async (_, ct) =>
        {
            await queue.BindAsync(kinds, ct);
            return true;
        }, cancellationToken);
        return subscribers.Add(kinds, handler, async s =>
        {
            if (Volatile.Read(ref disposed) == 0)
            {
                await queue.UnbindAsync(s.Kinds);
            }
        });
    }

    /// <inheritdoc />
    public async ValueTask EnqueueAsync(string queueName, ReadOnlyMemory<byte> body, string messageId, CancellationToken cancellationToken = default)
    {
        EventBusArguments.CheckQueueName(queueName, nameof(queueName));
        EventBusArguments.CheckMessageId(messageId, nameof(messageId));
        var properties = new BasicProperties
        {
            ContentType = "application/octet-stream",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = messageId,
            AppId = "forgeline",
            Timestamp = new AmqpTimestamp(timeProvider.GetUtcNow().ToUnixTimeSeconds()),
        };
        var what = $"message {messageId} for queue '{queueName}'";
        await WithConnectionAsync("declaring queue " + queueName, async (c, ct) =>
        {
            await EnsureWorkQueueAsync(c, queueName, ct);
            return true;
        }, cancellationToken);
        // Mandatory: should the queue vanish in between, the broker returns the message instead of dropping it.
        await PublishCoreAsync("", queueName, mandatory: true, properties, body, what, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IAsyncDisposable> ConsumeAsync(
        string queueName, int prefetch, Func<QueuedMessage, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        EventBusArguments.CheckQueueName(queueName, nameof(queueName));
        EventBusArguments.CheckPrefetch(prefetch, nameof(prefetch));
        ArgumentNullException.ThrowIfNull(handler);
        var tag = $"{InstanceId}/{Interlocked.Increment(ref consumerCount)}"; // unique, and short: a tag is at most 255 bytes
        var consumer = await WithConnectionAsync("consuming " + queueName, (c, ct) => RabbitMqQueueConsumer.StartAsync(
            c, queueName, prefetch, tag, handler, options, timeProvider, logger, stopped => consumers.TryRemove(stopped, out _), ct), cancellationToken);
        consumers[consumer] = 0;
        return consumer;
    }

    /// <summary>Declares a work queue as both producers and consumers see it: durable, shared, kept when unused.</summary>
    internal static Task DeclareWorkQueueAsync(IChannel channel, string queueName, CancellationToken cancellationToken) =>
        channel.QueueDeclareAsync(queueName, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);

    private async Task EnsureWorkQueueAsync(IConnection c, string queueName, CancellationToken cancellationToken)
    {
        if (declaredQueues.ContainsKey(queueName))
        {
            return;
        }

        // A channel of its own: a refused declaration closes the channel it was made on.
        await using var channel = await c.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await DeclareWorkQueueAsync(channel, queueName, cancellationToken);
        }
        catch (OperationInterruptedException ex) when (BrokerErrors.IsPreconditionFailed(ex))
        {
            throw BrokerErrors.QueueMismatch(queueName, ex);
        }

        declaredQueues[queueName] = 0;
    }

    private async Task<BroadcastQueue> BroadcastQueueAsync(IConnection c, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref broadcast) is { } existing)
        {
            return existing;
        }

        await broadcastGate.WaitAsync(cancellationToken);
        try
        {
            broadcast ??= await BroadcastQueue.CreateAsync(c, subscribers, logger, cancellationToken);
            return broadcast;
        }
        finally
        {
            broadcastGate.Release();
        }
    }

    private async Task PublishCoreAsync(
        string exchange, string routingKey, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, string what, CancellationToken cancellationToken)
    {
        try
        {
            await WithConnectionAsync("publishing " + what, async (c, ct) =>
            {
                var channel = await PublisherAsync(c, ct);
                await channel.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, ct);
                return true;
            }, cancellationToken);
        }
        catch (PublishException ex)
        {
            if (ex.IsReturn)
            {
                declaredQueues.TryRemove(routingKey, out _);
            }

            throw BrokerErrors.Refused(broker, what, ex);
        }
    }

    /// <summary>The confirming publisher channel; made again when the broker closed it for a channel error on a live connection.</summary>
    private async Task<IChannel> PublisherAsync(IConnection c, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref publisher) is { IsOpen: true } || !c.IsOpen)
        {
            return publisher!;
        }

        await publisherGate.WaitAsync(cancellationToken);
        try
        {
            if (publisher is not { IsOpen: true })
            {
                var old = publisher;
                publisher = await CreatePublisherAsync(c, cancellationToken);
                if (old is not null)
                {
                    await old.DisposeAsync();
                }
            }

            return publisher;
        }
        finally
        {
            publisherGate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on the connection; when the connection is down, waits for it to come back (at most
    /// <see cref="EventsOptions.PublishWaitSeconds"/>) and tries again, so a broker restart delays work instead of failing it.
    /// </summary>
    private async Task<T> WithConnectionAsync<T>(string what, Func<IConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var c = await ConnectAsync(cancellationToken);
        var wait = TimeSpan.FromSeconds(options.PublishWaitSeconds);
        var giveUpAt = timeProvider.GetUtcNow() + wait;
        for (var attempt = 1; ; attempt++)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            try
            {
                return await operation(c, cancellationToken);
            }
            catch (Exception ex) when (BrokerErrors.IsConnectivity(ex) && ex is not ObjectDisposedException && !cancellationToken.IsCancellationRequested)
            {
                var left = giveUpAt - timeProvider.GetUtcNow();
                if (left <= TimeSpan.Zero || (c.IsOpen && attempt >= 3))
                {
                    throw new EventBusException($"{what} failed: {Status} ({BrokerErrors.Describe(ex)})", ex);
                }

                LogRetrying(what, BrokerErrors.Describe(ex));
                try
                {
                    if (!c.IsOpen && IsHealthy)
                    {
                        // The connection dropped but its shutdown notice is still on its way; give it a moment.
                        await Task.Delay(TimeSpan.FromMilliseconds(50), timeProvider, cancellationToken);
                    }
                    else
                    {
                        await WaitConnectedAsync(left, cancellationToken);
                    }
                }
                catch (TimeoutException)
                {
                    throw new EventBusException($"{what} failed: no connection to the broker for {wait.TotalSeconds:0.#}s; {Status}", ex);
                }
            }
        }
    }
}
