namespace Forgeline.Builds.Queue;

/// <summary>Wakes workers waiting in a long-poll when a build is queued, so they need not poll the database.</summary>
public sealed class QueueSignal
{
    private TaskCompletionSource pulse = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next <see cref="Pulse"/>.</summary>
    public Task WaitAsync() => Volatile.Read(ref pulse).Task;

    /// <summary>Wakes every waiter.</summary>
    public void Pulse() => Interlocked.Exchange(ref pulse, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
