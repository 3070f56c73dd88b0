using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Forgeline.Events.RabbitMq;

/// <summary>
/// This process's own queue on the <c>forgeline.events</c> exchange: exclusive, server-named, deleted with the connection,
/// bound to the kinds the local subscribers want (<c>#</c> when one wants every kind). Events arriving on it go to
/// <see cref="LocalSubscribers"/>. After a reconnect RabbitMQ.Client declares a new queue and binds it again.
/// </summary>
internal sealed partial class BroadcastQueue : IAsyncDisposable
{
    /// <summary>Caps what a stalled process can pile up on the broker; the oldest events go first.</summary>
    private const int MaxLength = 100_000;

    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly LocalSubscribers subscribers;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, int> bindings = new(StringComparer.Ordinal);
    private string queueName;

    private BroadcastQueue(IConnection connection, IChannel channel, string queueName, LocalSubscribers subscribers, ILogger logger)
    {
        this.connection = connection;
        this.channel = channel;
        this.queueName = queueName;
        this.subscribers = subscribers;
        this.logger = logger;
    }

    public static async Task<BroadcastQueue> CreateAsync(IConnection connection, LocalSubscribers subscribers, ILogger logger, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var declared = await channel.QueueDeclareAsync(
                "", durable: false, exclusive: true, autoDelete: true,
                arguments: new Dictionary<string, object?> { ["x-max-length"] = MaxLength }, cancellationToken: cancellationToken);
            var queue = new BroadcastQueue(connection, channel, declared.QueueName, subscribers, logger);
            connection.QueueNameChangedAfterRecoveryAsync += queue.OnQueueRenamedAsync;
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += queue.OnReceivedAsync;
            await channel.BasicConsumeAsync(declared.QueueName, autoAck: true, consumer, cancellationToken);
            return queue;
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>Binds the routing keys <paramref name="kinds"/> need that no earlier subscription bound.</summary>
    public async Task BindAsync(IReadOnlyCollection<string> kinds, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        var counted = new List<string>();
        try
        {
            foreach (var key in RoutingKeys(kinds))
            {
                if (bindings.GetValueOrDefault(key) == 0)
                {
                    await channel.QueueBindAsync(queueName, RabbitMqEventBus.ExchangeName, key, cancellationToken: cancellationToken);
                }

                bindings[key] = bindings.GetValueOrDefault(key) + 1;
                counted.Add(key);
            }
        }
        catch
        {
            // The subscription fails as a whole; a binding left behind only costs traffic that local filtering drops.
            foreach (var key in counted)
            {
                bindings[key]--;
            }

            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Unbinds the keys no remaining subscription needs. Best effort: local filtering keeps events right either way.</summary>
    public async Task UnbindAsync(IReadOnlyCollection<string> kinds)
    {
        await gate.WaitAsync();
        try
        {
            foreach (var key in RoutingKeys(kinds))
            {
                var count = bindings.GetValueOrDefault(key) - 1;
                if (count > 0)
                {
                    bindings[key] = count;
                    continue;
                }

                bindings.Remove(key);
                try
                {
                    await channel.QueueUnbindAsync(queueName, RabbitMqEventBus.ExchangeName, key);
                }
                catch (Exception ex) when (BrokerErrors.IsConnectivity(ex))
                {
                    LogUnbindFailed(key, BrokerErrors.Describe(ex));
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        connection.QueueNameChangedAfterRecoveryAsync -= OnQueueRenamedAsync;
        try
        {
            await channel.CloseAsync();
        }
        catch (Exception ex) when (BrokerErrors.IsConnectivity(ex))
        {
            // The connection is gone already, and the exclusive queue with it.
        }

        await channel.DisposeAsync();
        gate.Dispose();
    }

    private static IEnumerable<string> RoutingKeys(IReadOnlyCollection<string> kinds) => kinds.Count == 0 ? ["#"] : kinds.Distinct(StringComparer.Ordinal);

    private Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        // The message center's CloudEvents share the exchange (for other services to bind); they are not bus events.
        if (delivery.RoutingKey.StartsWith(RabbitMqEventBus.CloudEventKeyPrefix, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        var e = EventJson.TryDeserialize(delivery.Body.Span);
        if (e is null)
        {
            LogUndecodable(delivery.RoutingKey, delivery.Body.Length);
        }
        else
        {
            subscribers.Deliver(e);
        }

        return Task.CompletedTask;
    }

    private Task OnQueueRenamedAsync(object sender, QueueNameChangedAfterRecoveryEventArgs renamed)
    {
        if (renamed.NameBefore == queueName)
        {
            queueName = renamed.NameAfter;
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a message on the event exchange with routing key {RoutingKey} ({Bytes} bytes): not a Forgeline event")]
    private partial void LogUndecodable(string routingKey, int bytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unbind {RoutingKey} from this process's event queue: {Reason}")]
    private partial void LogUnbindFailed(string routingKey, string reason);
}
