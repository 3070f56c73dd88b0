namespace Forgeline.Events.Tests.Support;

/// <summary>What handlers received, and a way to await a condition on it without sleeping.</summary>
public sealed class Inbox<T>
{
    private readonly List<T> items = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (items)
            {
                return [.. items];
            }
        }
    }

    public void Add(T item)
    {
        TaskCompletionSource wake;
        lock (items)
        {
            items.Add(item);
            wake = changed;
            changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.TrySetResult();
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the items received so far and returns them.</summary>
    public async Task<IReadOnlyList<T>> WaitUntilAsync(Func<IReadOnlyList<T>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience.Default;
        while (true)
        {
            Task wake;
            lock (items)
            {
                if (condition(items))
                {
                    return [.. items];
                }

                wake = changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            try
            {
                await wake.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"waited {Patience.Default.TotalSeconds}s for {what}; received: [{string.Join(", ", Items)}]");
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> items arrived.</summary>
    public Task<IReadOnlyList<T>> WaitForCountAsync(int count, string what) => WaitUntilAsync(i => i.Count >= count, $"{count} {what}");
}
