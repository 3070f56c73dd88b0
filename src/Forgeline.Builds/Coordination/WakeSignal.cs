namespace Forgeline.Builds.Coordination;

/// <summary>Wakes a <see cref="CoordinatorLoop"/>: something was asked for, or a build ended.</summary>
public class WakeSignal : IDisposable
{
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>Asks for a pass soon (several wakes before it runs make one pass).</summary>
    public void Wake()
    {
        try
        {
            if (wake.CurrentCount == 0)
            {
                wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another thread woke it first: one pass serves both.
        }
    }

    /// <summary>Waits for a wake or the timeout.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        wake.Dispose();
        GC.SuppressFinalize(this);
    }
}
