using System.Collections.Concurrent;
using Forgeline.Core.Events;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Forgeline.Events.RabbitMq;

/// <summary>
/// One consumer of a durable work queue on its own channel: prefetch and handler concurrency both <c>prefetch</c>, manual
/// acknowledgement after the handler returns, a negative acknowledgement with requeue when it throws or the consumer stops.
/// Messages it holds when its process dies go back to the queue because they were never acknowledged.
/// </summary>
internal sealed partial class RabbitMqQueueConsumer : IAsyncDisposable
{
    private readonly IChannel channel;
    private readonly string queue;
    private readonly string consumerTag;
    private readonly Func<QueuedMessage, CancellationToken, Task> handler;
    private readonly EventsOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Action<RabbitMqQueueConsumer> onDisposed;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<Task, byte> running = new();
    private int disposed;

    private RabbitMqQueueConsumer(
        IChannel channel, string queue, string consumerTag, Func<QueuedMessage, CancellationToken, Task> handler, EventsOptions options, TimeProvider timeProvider, ILogger logger, Action<RabbitMqQueueConsumer> onDisposed)
    {
        this.channel = channel;
        this.queue = queue;
        this.consumerTag = consumerTag;
        this.handler = handler;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.onDisposed = onDisposed;
    }

    /// <summary>Declares the queue (durable) and starts consuming it.</summary>
    public static async Task<RabbitMqQueueConsumer> StartAsync(
        IConnection connection, string queue, int prefetch, string consumerTag, Func<QueuedMessage, CancellationToken, Task> handler,
        EventsOptions options, TimeProvider timeProvider, ILogger logger, Action<RabbitMqQueueConsumer> onDisposed, CancellationToken cancellationToken)
    {
        var concurrency = checked((ushort)prefetch);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: concurrency),
            cancellationToken);
        try
        {
            await RabbitMqEventBus.DeclareWorkQueueAsync(channel, queue, cancellationToken);
            await channel.BasicQosAsync(0, concurrency, global: false, cancellationToken);
            var consumer = new RabbitMqQueueConsumer(channel, queue, consumerTag, handler, options, timeProvider, logger, onDisposed);
            var basic = new AsyncEventingBasicConsumer(channel);
            basic.ReceivedAsync += consumer.OnReceivedAsync;
            await channel.BasicConsumeAsync(queue, autoAck: false, consumerTag, noLocal: false, exclusive: false, arguments: null, basic, cancellationToken);
            return consumer;
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops taking messages, cancels running handlers, waits for them (up to the stop timeout) and closes the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync();
        try
        {
            await channel.BasicCancelAsync(consumerTag);
        }
        catch (Exception ex) when (BrokerErrors.IsConnectivity(ex))
        {
            // Connection gone: the broker has handed our messages back already.
        }

        try
        {
            await Task.WhenAll(running.Keys).WaitAsync(TimeSpan.FromSeconds(options.StopTimeoutSeconds), timeProvider);
        }
        catch (TimeoutException)
        {
            LogStopTimedOut(queue, running.Count);
        }

        try
        {
            // Whatever is still unacknowledged goes back to the queue when the channel closes.
            await channel.CloseAsync();
        }
        catch (Exception ex) when (BrokerErrors.IsConnectivity(ex))
        {
        }

        await channel.DisposeAsync();
        onDisposed(this);
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        // The body is the client's buffer, valid until this returns: the handler runs inside.
        var handling = HandleAsync(delivery);
        running[handling] = 0;
        try
        {
            await handling;
        }
        finally
        {
            running.TryRemove(handling, out _);
        }
    }

    private async Task HandleAsync(BasicDeliverEventArgs delivery)
    {
        var messageId = delivery.BasicProperties.MessageId ?? "";
        if (stopping.IsCancellationRequested)
        {
            await SettleAsync(delivery.DeliveryTag, messageId, ack: false);
            return;
        }

        try
        {
            await handler(new QueuedMessage(queue, messageId, delivery.Body, delivery.Redelivered), stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await SettleAsync(delivery.DeliveryTag, messageId, ack: false);
            return;
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, queue, messageId);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.RetryDelaySeconds), timeProvider, stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await SettleAsync(delivery.DeliveryTag, messageId, ack: false);
            return;
        }

        await SettleAsync(delivery.DeliveryTag, messageId, ack: true);
    }

    private async Task SettleAsync(ulong deliveryTag, string messageId, bool ack)
    {
        try
        {
            if (ack)
            {
                await channel.BasicAckAsync(deliveryTag, multiple: false);
            }
            else
            {
                await channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true);
            }
        }
        catch (Exception ex) when (BrokerErrors.IsConnectivity(ex))
        {
            // The delivery died with the channel; the broker delivers the message again, so it is not lost.
            LogSettleLost(queue, messageId, ack ? "ack" : "nack", BrokerErrors.Describe(ex));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler of queue {Queue} failed on message {MessageId}; it goes back to the queue")]
    private partial void LogHandlerFailed(Exception exception, string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: the {Settlement} of message {MessageId} did not reach the broker ({Reason}); the broker will deliver it again")]
    private partial void LogSettleLost(string queue, string messageId, string settlement, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: {Count} handler(s) still running after the stop timeout; their messages go back to the queue")]
    private partial void LogStopTimedOut(string queue, int count);
}
