using System.Collections.Concurrent;
using Forgeline.Core.Events;
using Microsoft.Extensions.Logging;

namespace Forgeline.Events.InProcess;

/// <summary>
/// One consumer of a <see cref="MemoryWorkQueue"/>: up to <c>prefetch</c> handlers at once; a message is gone once its handler
/// returns and goes back to the queue (marked redelivered) when the handler throws or the consumer stops first.
/// </summary>
internal sealed partial class MemoryQueueConsumer : IAsyncDisposable
{
    private readonly MemoryWorkQueue queue;
    private readonly Func<QueuedMessage, CancellationToken, Task> handler;
    private readonly EventsOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Action<MemoryQueueConsumer> onDisposed;
    private readonly SemaphoreSlim slots;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<Delivery, byte> inFlight = new();
    private readonly Task loop;
    private int disposed;

    public MemoryQueueConsumer(
        MemoryWorkQueue queue, int prefetch, Func<QueuedMessage, CancellationToken, Task> handler, EventsOptions options, TimeProvider timeProvider, ILogger logger, Action<MemoryQueueConsumer> onDisposed)
    {
        this.queue = queue;
        this.handler = handler;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.onDisposed = onDisposed;
        slots = new SemaphoreSlim(prefetch, prefetch);
        loop = Task.Run(RunAsync);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync();
        await loop;
        var running = inFlight.Keys.ToList();
        try
        {
            await Task.WhenAll(running.Select(d => d.Handling)).WaitAsync(TimeSpan.FromSeconds(options.StopTimeoutSeconds), timeProvider);
        }
        catch (TimeoutException)
        {
            // A handler that ignores its token must not keep the message: hand it back as a dying process would.
            foreach (var delivery in running)
            {
                if (Settle(delivery, handBack: true))
                {
                    LogHandedBackOnStop(queue.Name, delivery.Message.MessageId);
                }
            }
        }

        onDisposed(this);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            MemoryMessage message;
            try
            {
                await slots.WaitAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                message = await queue.Reader.ReadAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                slots.Release();
                return;
            }

            var delivery = new Delivery(message);
            inFlight[delivery] = 0;
            delivery.Handling = HandleAsync(delivery);
        }
    }

    private async Task HandleAsync(Delivery delivery)
    {
        await Task.Yield();
        var message = delivery.Message;
        try
        {
            await handler(new QueuedMessage(queue.Name, message.MessageId, message.Body, message.Redelivered), stopping.Token);
            Settle(delivery, handBack: false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Settle(delivery, handBack: true);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, queue.Name, message.MessageId);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(options.RetryDelaySeconds), timeProvider, stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }

            Settle(delivery, handBack: true);
        }
        finally
        {
            inFlight.TryRemove(delivery, out _);
            slots.Release();
        }
    }

    /// <summary>Acknowledges or hands back a delivery once; false when it was settled already.</summary>
    private bool Settle(Delivery delivery, bool handBack)
    {
        if (Interlocked.Exchange(ref delivery.Settled, 1) != 0)
        {
            return false;
        }

        if (handBack)
        {
            queue.Add(delivery.Message with { Redelivered = true });
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler of queue {Queue} failed on message {MessageId}; it goes back to the queue")]
    private partial void LogHandlerFailed(Exception exception, string queue, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue {Queue}: message {MessageId} handed back because its handler did not stop in time")]
    private partial void LogHandedBackOnStop(string queue, string messageId);

    private sealed class Delivery(MemoryMessage message)
    {
        public int Settled;

        public MemoryMessage Message { get; } = message;

        public Task Handling { get; set; } = Task.CompletedTask;
    }
}
