using System.Threading.Channels;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.MessageCenter.Webhooks;

/// <summary>
/// Records how attempts went, many per transaction: successes in one statement per HTTP status, failures one by one with
/// their next attempt (exponential backoff) or as <c>dead</c> when the attempts ran out.
/// </summary>
internal sealed partial class DeliveryResultWriter(IServiceScopeFactory scopes, IOptions<MessageCenterOptions> options, TimeProvider time, ILogger<DeliveryResultWriter> logger)
{
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(20);
    private readonly Channel<(WebhookWork Work, WebhookAttempt Attempt)> pending = Channel.CreateUnbounded<(WebhookWork, WebhookAttempt)>(new() { SingleReader = true });

    /// <summary>Raised after results were written (the delivery ids), for tests and benchmarks.</summary>
    public event Action<IReadOnlyList<long>>? Written;

    /// <summary>Hands over the result of one attempt.</summary>
    public void Post(WebhookWork work, WebhookAttempt attempt) => pending.Writer.TryWrite((work, attempt));

    /// <summary>Writes results as they come until <paramref name="cancellationToken"/> is cancelled, then what is left.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<(WebhookWork Work, WebhookAttempt Attempt)>();
        while (await WaitAsync(cancellationToken))
        {
            // A moment for the rest of the event's fan-out to answer: fewer, larger write transactions leave SQLite's
            // single writer lock free for the changes that make events (an outbox reader then waits less too).
            if (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(BatchWindow, time, CancellationToken.None);
            }

            while (batch.Count < 2000 && pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await WriteAsync(batch, CancellationToken.None);
                Written?.Invoke([.. batch.Select(b => b.Work.DeliveryId)]);
            }
            catch (Exception e)
            {
                // The claims lapse and the deliveries are attempted again: at least once, never lost.
                LogWriteFailed(e, batch.Count);
            }

            batch.Clear();
        }
    }

    private async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await pending.Reader.WaitToReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return pending.Reader.TryPeek(out _);
        }
    }

    private async Task WriteAsync(List<(WebhookWork Work, WebhookAttempt Attempt)> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var group in batch.Where(b => b.Attempt.Succeeded).GroupBy(b => b.Attempt.Status))
        {
            await DeliveryRows.MarkDeliveredAsync(db, [.. group.Select(b => b.Work.DeliveryId)], group.Key!.Value, now, cancellationToken);
        }

        foreach (var (work, attempt) in batch.Where(b => !b.Attempt.Succeeded))
        {
            var attempts = work.Attempts + 1;
            var dead = attempts >= options.Value.MaxAttempts;
            var next = now + options.Value.RetryDelay(attempts);
            await db.EventDeliveries.Where(d => d.Id == work.DeliveryId && d.State == EventDeliveryStates.Pending).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, dead ? EventDeliveryStates.Dead : EventDeliveryStates.Pending)
                .SetProperty(d => d.Attempts, attempts)
                .SetProperty(d => d.LastStatus, attempt.Status)
                .SetProperty(d => d.LastError, attempt.Error)
                .SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.ClaimedUntil, (DateTime?)null), cancellationToken);
            if (dead)
            {
                LogDead(work.DeliveryId, work.SubscriptionId, attempts, attempt.Error);
            }
            else
            {
                LogRetry(work.DeliveryId, work.SubscriptionId, attempts, attempt.Error, next);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording {Count} webhook attempts failed; they will be attempted again")]
    private partial void LogWriteFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} to subscription {SubscriptionId} gave up after {Attempts} attempts: {Error}")]
    private partial void LogDead(long deliveryId, long subscriptionId, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} to subscription {SubscriptionId} failed (attempt {Attempts}: {Error}); next at {NextAttemptAt:o}")]
    private partial void LogRetry(long deliveryId, long subscriptionId, int attempts, string? error, DateTime nextAttemptAt);
}
