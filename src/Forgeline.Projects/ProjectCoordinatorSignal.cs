namespace Forgeline.Projects;

/// <summary>Wakes the coordinator: a batch was planned or a build ended.</summary>
public sealed class ProjectCoordinatorSignal : IDisposable
{
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>Asks for a pass soon (several wakes before it runs make one pass).</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread woke it first: one pass serves both.
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => wake.Dispose();

    /// <summary>Waits for a wake or the timeout.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => wake.WaitAsync(timeout, cancellationToken);
}
