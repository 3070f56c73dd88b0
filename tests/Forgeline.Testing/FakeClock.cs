namespace Forgeline.Testing;

/// <summary>
/// A clock tests move by hand whose timers (<see cref="Task.Delay(TimeSpan, TimeProvider)"/>, timeouts of
/// <see cref="CancellationTokenSource"/>s made with it) fire only when the test advances it; tests await
/// <see cref="WaitForTimerAsync"/> to know the code under test is waiting, instead of sleeping.
/// </summary>
public sealed class FakeClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<FakeTimer> timers = [];
    private readonly List<(Func<TimeSpan, bool> Matches, TaskCompletionSource<TimeSpan> Done)> waiters = [];
    private DateTimeOffset now = start;

    /// <summary>A clock at 2026-01-01 UTC.</summary>
    public FakeClock() : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Waits (up to <paramref name="timeout"/> of real time) until a timer is pending whose remaining time matches
    /// <paramref name="remainingMatches"/>, and returns that remaining time.
    /// </summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> remainingMatches, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            foreach (var timer in timers)
            {
                if (timer.Due is { } due && remainingMatches(due - now))
                {
                    return due - now;
                }
            }

            waiters.Add((remainingMatches, done));
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
                var pending = string.Join(", ", timers.Where(t => t.Due is not null).Select(t => (t.Due!.Value - now).ToString()));
                throw new TimeoutException($"No matching timer within {timeout}; pending timers fire in: [{pending}]");
            }
        }
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset end;
        lock (gate)
        {
            end = now + by;
        }

        while (true)
        {
            FakeTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.Due is { } due && due <= end).MinBy(t => t.Due);
                if (next is null)
                {
                    now = end;
                    return;
                }

                now = next.Due!.Value;
                next.Due = next.Period is { } period && period > TimeSpan.Zero ? now + period : null;
            }

            next.Fire();
        }
    }

    private void Schedule(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        List<TaskCompletionSource<TimeSpan>> matched = [];
        TimeSpan remaining;
        lock (gate)
        {
            timer.Period = period == Timeout.InfiniteTimeSpan ? null : period;
            timer.Due = dueTime == Timeout.InfiniteTimeSpan ? null : now + dueTime;
            if (!timers.Contains(timer))
            {
                timers.Add(timer);
            }

            if (timer.Due is null)
            {
                return;
            }

            remaining = timer.Due.Value - now;
            foreach (var waiter in waiters.Where(w => w.Matches(remaining)).ToList())
            {
                waiters.Remove(waiter);
                matched.Add(waiter.Done);
            }
        }

        foreach (var done in matched)
        {
            done.TrySetResult(remaining);
        }
    }

    private void Remove(FakeTimer timer)
    {
        lock (gate)
        {
            timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
