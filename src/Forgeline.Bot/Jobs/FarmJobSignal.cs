namespace Forgeline.Bot.Jobs;

/// <summary>Wakes the <see cref="FarmJobReporter"/>: a build ended, or a farm job's build was finished at once from the cache.</summary>
public sealed class FarmJobSignal : IDisposable
{
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>Asks for a pass soon; wakes that come before it runs make one pass.</summary>
    public void Wake()
    {
        if (wake.CurrentCount > 0)
        {
            return;
        }

        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Woken by another thread in between: one pass serves both.
        }
    }

    /// <summary>Waits for a wake or the timeout.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => wake.Dispose();
}
