namespace Forgeline.Testing;

/// <summary>The requests a fake forge answered, with signal-based waiting for one that matches.</summary>
internal sealed class FakeForgeCallLog
{
    private readonly object gate = new();
    private readonly List<FakeForgeCall> calls = [];
    private readonly List<(Func<FakeForgeCall, bool> Matches, TaskCompletionSource<FakeForgeCall> Done)> waiters = [];

    public IReadOnlyList<FakeForgeCall> Calls
    {
        get
        {
            lock (gate)
            {
                return calls.ToList();
            }
        }
    }

    public void Add(FakeForgeCall call)
    {
        List<TaskCompletionSource<FakeForgeCall>> matched = [];
        lock (gate)
        {
            calls.Add(call);
            foreach (var waiter in waiters.Where(w => w.Matches(call)).ToList())
            {
                waiters.Remove(waiter);
                matched.Add(waiter.Done);
            }
        }

        foreach (var done in matched)
        {
            done.TrySetResult(call);
        }
    }

    public async Task<FakeForgeCall> WaitForAsync(Func<FakeForgeCall, bool> predicate, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<FakeForgeCall>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (calls.FirstOrDefault(predicate) is { } already)
            {
                return already;
            }

            waiters.Add((predicate, done));
        }

        try
        {
            return await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (gate)
            {
                waiters.RemoveAll(w => w.Done == done);
                throw new TimeoutException($"No matching call to the fake forge within {timeout}; calls so far:\n  " + string.Join("\n  ", calls));
            }
        }
    }
}
