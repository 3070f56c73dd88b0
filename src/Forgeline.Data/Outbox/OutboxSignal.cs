namespace Forgeline.Data.Outbox;

/// <summary>
/// Wakes this process's outbox readers (webhook fan-out, SSE streams, RabbitMQ publishing) when a transaction that
/// wrote events commits, so they need not poll; readers in other processes fall back to polling.
/// </summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource next = NewSource();

    /// <summary>Completes when events are committed after this call; take it before reading, then await it.</summary>
    public Task Next => Volatile.Read(ref next).Task;

    /// <summary>Events were committed.</summary>
    public void Notify() => Interlocked.Exchange(ref next, NewSource()).TrySetResult();

    /// <summary>Waits for <see cref="Notify"/> after <paramref name="seen"/> was taken, at most <paramref name="timeout"/>.</summary>
    public static async Task WaitAsync(Task seen, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await seen.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
