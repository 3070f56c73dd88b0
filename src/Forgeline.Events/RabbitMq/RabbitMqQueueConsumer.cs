using System.Collections.Concurrent;
using Forgeline.Core.Events;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

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
    private CancellationTokenSource channelAlive = new();
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
            channel.ChannelShutdownAsync += consumer.OnChannelShutdownAsync;
            var basic = new AsyncEventingBasicConsumer(channel);
            basic.ReceivedAsync += consumer.OnReceivedAsync;
            await channel.BasicConsumeAsync(queue, autoAck: false, consumerTag, noLocal: false, exclusive: false, arguments: null, basic, cancellationToken);
            return consumer;
        }
        catch (OperationInterruptedException ex) when (BrokerErrors.IsPreconditionFailed(ex))
        {
            await channel.DisposeAsync();
            throw BrokerErrors.QueueMismatch(queue, ex);
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops taking messages, cancels running handlers and waits for them, then closes the channel; each wait is bounded by
    /// the stop timeout, so a handler that ignores its token cannot hold up shutdown (the broker gets its message back anyway).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        var timeout = TimeSpan.FromSeconds(options.StopTimeoutSeconds);
        await stopping.CancelAsync();
        await BoundedAsync(channel.BasicCancelAsync(consumerTag), timeout);
        var drained = await BoundedAsync(Task.WhenAll(running.Keys), timeout);
        if (!drained)
        {
            LogStopTimedOut(queue, running.Count);
        }

        // Whatever is still unacknowledged goes back to the queue when the channel closes. The client waits for running
        // handlers after the broker confirmed the close, so with a stuck handler this stops waiting and leaves the channel be.
        await BoundedAsync(channel.CloseAsync(), timeout);
        if (drained)
        {
            await BoundedAsync(channel.DisposeAsync().AsTask(), timeout);
        }

        onDisposed(this);
    }

    /// <summary>Waits for <paramref name="task"/> up to <paramref name="timeout"/>; false when it did not finish, or failed because the connection is gone.</summary>
    private async Task<bool> BoundedAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout, timeProvider);
            return true;
        }
        catch (Exception ex) when (BrokerErrors.IsConnectivity(ex))
        {
            return false;
        }
    }

    private Task OnChannelShutdownAsync(object sender, ShutdownEventArgs reason)
    {
        // The broker takes back every unacknowledged delivery of a closed channel and hands it out again: running handlers
        // work for nothing, so they are told to stop. Deliveries after a reconnect get a fresh token.
        var dead = Interlocked.Exchange(ref channelAlive, new CancellationTokenSource());
        dead.Cancel();
        return Task.CompletedTask;
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

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token, Volatile.Read(ref channelAlive).Token);
        try
        {
            await handler(new QueuedMessage(queue, messageId, delivery.Body, delivery.Redelivered), cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await SettleAsync(delivery.DeliveryTag, messageId, ack: false);
            return;
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, queue, messageId);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.RetryDelaySeconds), timeProvider, cancel.Token);
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
