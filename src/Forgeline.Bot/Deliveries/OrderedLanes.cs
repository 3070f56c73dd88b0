namespace Forgeline.Bot.Deliveries;

/// <summary>
/// Runs work items concurrently, at most <c>parallelism</c> at a time, while items with the same key (one issue or pull
/// request) run one after another in the order they were handed in. The order is fixed when <see cref="RunAsync"/> is
/// called, before anything is awaited, so a caller that hands items in in arrival order gets them run in that order per
/// key; items of other keys never wait behind a busy key, only for a free slot.
/// </summary>
public sealed class OrderedLanes : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Queue<Item>> busy = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim slots;
    private int running;

    /// <summary>Lanes that run at most <paramref name="parallelism"/> items at once.</summary>
    public OrderedLanes(int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        Parallelism = parallelism;
        slots = new SemaphoreSlim(parallelism, parallelism);
    }

    /// <summary>How many items may run at once.</summary>
    public int Parallelism { get; }

    /// <summary>Items running now (for tests and metrics).</summary>
    public int Running => Volatile.Read(ref running);

    /// <summary>
    /// Runs <paramref name="work"/> after every item handed in earlier with the same <paramref name="key"/> has ended (however
    /// it ended); the task ends with the work's own result or exception.
    /// </summary>
    public Task RunAsync(string key, Func<Task> work)
    {
        var item = new Item(work);
        lock (gate)
        {
            if (busy.TryGetValue(key, out var waiting))
            {
                waiting.Enqueue(item);
                return item.Done.Task;
            }

            busy[key] = new Queue<Item>();
        }

        _ = DrainAsync(key, item);
        return item.Done.Task;
    }

    /// <inheritdoc />
    public void Dispose() => slots.Dispose();

    // One drain per busy key: it runs the key's items in order, taking a slot for each, and ends when the key's queue is empty.
    private async Task DrainAsync(string key, Item item)
    {
        while (true)
        {
            await slots.WaitAsync().ConfigureAwait(false);
            Interlocked.Increment(ref running);
            try
            {
                await item.Work().ConfigureAwait(false);
                item.Done.TrySetResult();
            }
            catch (OperationCanceledException e)
            {
                item.Done.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                item.Done.TrySetException(e);
            }
            finally
            {
                Interlocked.Decrement(ref running);
                slots.Release();
            }

            lock (gate)
            {
                var waiting = busy[key];
                if (waiting.Count == 0)
                {
                    busy.Remove(key);
                    return;
                }

                item = waiting.Dequeue();
            }
        }
    }

    private sealed record Item(Func<Task> Work)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
