using System.Collections.Concurrent;
using Forgeline.Bot.Deliveries;
using Shouldly;
using Xunit;

namespace Forgeline.Bot.Tests.Deliveries;

public sealed class OrderedLanesTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Items_of_one_key_run_in_the_order_handed_in_even_when_they_finish_at_random_speeds()
    {
        using var lanes = new OrderedLanes(8);
        var ran = new ConcurrentDictionary<string, ConcurrentQueue<int>>();
        var random = new Random(14);
        var tasks = new List<Task>();
        for (var i = 0; i < 400; i++)
        {
            var (key, n, spins) = ($"pull-{i % 5}", i, random.Next(0, 3));
            tasks.Add(lanes.RunAsync(key, async () =>
            {
                for (var s = 0; s < spins; s++)
                {
                    await Task.Yield();
                }

                ran.GetOrAdd(key, _ => new ConcurrentQueue<int>()).Enqueue(n);
            }));
        }

        await Task.WhenAll(tasks).WaitAsync(Generous);

        foreach (var (key, order) in ran)
        {
            order.ToList().ShouldBe([.. order.Order()], $"{key} ran out of order");
            order.Count.ShouldBe(80);
        }
    }

    [Fact]
    public async Task No_more_than_the_parallelism_run_at_once_and_that_many_do()
    {
        using var lanes = new OrderedLanes(3);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (now, most) = (0, 0);
        var threeRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, 10).Select(i => lanes.RunAsync($"pull-{i}", async () =>
        {
            var running = Interlocked.Increment(ref now);
            InterlockedMax(ref most, running);
            if (running == 3)
            {
                threeRunning.TrySetResult();
            }

            await release.Task;
            Interlocked.Decrement(ref now);
        })).ToList();

        await threeRunning.Task.WaitAsync(Generous);
        lanes.Running.ShouldBe(3);
        tasks.Count(t => t.IsCompleted).ShouldBe(0);
        release.SetResult();
        await Task.WhenAll(tasks).WaitAsync(Generous);

        most.ShouldBe(3);
        lanes.Running.ShouldBe(0);
    }

    [Fact]
    public async Task A_busy_key_holds_back_only_its_own_items()
    {
        using var lanes = new OrderedLanes(2);
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = lanes.RunAsync("pull-1", () => stuck.Task);
        var second = lanes.RunAsync("pull-1", () => Task.CompletedTask);

        // Another pull request runs meanwhile, many times over, on the slot the busy one leaves free.
        for (var i = 0; i < 20; i++)
        {
            await lanes.RunAsync($"pull-{i + 2}", () => Task.CompletedTask).WaitAsync(Generous);
        }

        second.IsCompleted.ShouldBeFalse();
        stuck.SetResult();
        await Task.WhenAll(first, second).WaitAsync(Generous);
    }

    [Fact]
    public async Task A_failing_item_reports_its_error_and_the_next_of_its_key_still_runs()
    {
        using var lanes = new OrderedLanes(1);
        var failing = lanes.RunAsync("pull-1", () => throw new InvalidOperationException("plugin bug"));
        var next = lanes.RunAsync("pull-1", () => Task.CompletedTask);

        (await Should.ThrowAsync<InvalidOperationException>(failing.WaitAsync(Generous))).Message.ShouldBe("plugin bug");
        await next.WaitAsync(Generous);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
