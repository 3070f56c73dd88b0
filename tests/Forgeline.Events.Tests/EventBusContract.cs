using System.Text;
using Forgeline.Core.Events;
using Forgeline.Events.Tests.Support;

namespace Forgeline.Events.Tests;

/// <summary>
/// What every <see cref="IEventBus"/> promises, run against each implementation. A "party" is a server target holding a bus:
/// on RabbitMQ each party has its own bus and connection, as separate processes would; in-process they share the one bus.
/// </summary>
public abstract class EventBusContract : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> owned = [];

    /// <summary>Short delays so failure paths run quickly; the defaults are for production.</summary>
    protected static EventsOptions FastOptions() => new()
    {
        RetryDelaySeconds = 0.05,
        ReconnectIntervalSeconds = 0.2,
        StopTimeoutSeconds = 5,
        PublishWaitSeconds = 20,
        ConnectTimeoutSeconds = 10,
    };

    /// <summary>A unique work-queue name, so nothing from another test can reach this one.</summary>
    protected static string NewQueueName() => $"test.{Guid.NewGuid():N}";

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }
    }

    /// <summary>A bus for one more party.</summary>
    protected abstract Task<IEventBus> OpenPartyAsync();

    /// <summary>Disposes <paramref name="disposable"/> at the end of the test.</summary>
    protected T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        owned.Add(disposable);
        return disposable;
    }

    [Fact]
    public async Task An_event_reaches_subscribers_of_every_party_including_the_publisher()
    {
        var publisher = await OpenPartyAsync();
        var other = await OpenPartyAsync();
        var atPublisher = new Inbox<ForgelineEvent>();
        var atOther = new Inbox<ForgelineEvent>();
        Own(await publisher.SubscribeAsync([EventKinds.BuildQueued], (e, _) => Record(atPublisher, e)));
        Own(await other.SubscribeAsync([EventKinds.BuildQueued], (e, _) => Record(atOther, e)));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await publisher.PublishAsync(new ForgelineEvent(EventKinds.BuildQueued, 42, "hello-2.12", "{\"arch\":\"x86_64\",\"note\":\"ünïcode\"}"));

        foreach (var inbox in new[] { atPublisher, atOther })
        {
            var e = (await inbox.WaitForCountAsync(1, "build.queued events")).Single();
            e.Kind.ShouldBe(EventKinds.BuildQueued);
            e.BuildId.ShouldBe(42);
            e.Subject.ShouldBe("hello-2.12");
            e.Data.ShouldBe("{\"arch\":\"x86_64\",\"note\":\"ünïcode\"}");
            e.Origin.ShouldBe(publisher.InstanceId);
            e.At.ShouldBeInRange(before, DateTimeOffset.UtcNow.AddSeconds(1));
        }
    }

    [Fact]
    public async Task Subscribers_get_only_the_kinds_they_asked_for_in_publish_order()
    {
        var subscriber = await OpenPartyAsync();
        var publisher = await OpenPartyAsync();
        var logsOnly = new Inbox<long?>();
        var queuedAndWorkers = new Inbox<long?>();
        var everything = new Inbox<long?>();
        Own(await subscriber.SubscribeAsync([EventKinds.BuildLog], (e, _) => Record(logsOnly, e.BuildId)));
        Own(await subscriber.SubscribeAsync([EventKinds.BuildQueued, EventKinds.WorkerChanged], (e, _) => Record(queuedAndWorkers, e.BuildId)));
        Own(await subscriber.SubscribeAsync([], (e, _) => Record(everything, e.BuildId)));

        string[] kinds = [EventKinds.BuildQueued, EventKinds.BuildLog, EventKinds.BuildChanged, EventKinds.WorkerChanged, EventKinds.BuildLog, EventKinds.WorkerChanged];
        for (var i = 0; i < kinds.Length; i++)
        {
            await publisher.PublishAsync(new ForgelineEvent(kinds[i], BuildId: i + 1));
        }

        // Each inbox ends with the last event of its kinds; anything wrongly delivered would have arrived before it.
        (await logsOnly.WaitUntilAsync(i => i.Contains(5), "the second build.log")).ShouldBe([2L, 5L]);
        (await queuedAndWorkers.WaitUntilAsync(i => i.Contains(6), "the second worker.changed")).ShouldBe([1L, 4L, 6L]);
        (await everything.WaitForCountAsync(6, "events of any kind")).ShouldBe([1L, 2L, 3L, 4L, 5L, 6L]);
    }

    [Fact]
    public async Task A_handler_that_throws_keeps_its_subscription_and_others_still_get_every_event()
    {
        var bus = await OpenPartyAsync();
        var failing = new Inbox<long?>();
        var healthy = new Inbox<long?>();
        Own(await bus.SubscribeAsync([EventKinds.BuildChanged], (e, _) =>
        {
            failing.Add(e.BuildId);
            throw new InvalidOperationException("handler bug");
        }));
        Own(await bus.SubscribeAsync([EventKinds.BuildChanged], (e, _) => Record(healthy, e.BuildId)));

        for (var id = 1; id <= 3; id++)
        {
            await bus.PublishAsync(new ForgelineEvent(EventKinds.BuildChanged, id));
        }

        (await failing.WaitForCountAsync(3, "calls of the failing handler")).ShouldBe([1L, 2L, 3L]);
        (await healthy.WaitForCountAsync(3, "events at the healthy handler")).ShouldBe([1L, 2L, 3L]);
        FailuresLogged().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task A_disposed_subscription_gets_nothing_more()
    {
        var bus = await OpenPartyAsync();
        var stopped = new Inbox<long?>();
        var kept = new Inbox<long?>();
        var subscription = await bus.SubscribeAsync([EventKinds.WorkerChanged], (e, _) => Record(stopped, e.BuildId));
        Own(await bus.SubscribeAsync([EventKinds.WorkerChanged], (e, _) => Record(kept, e.BuildId)));
        await bus.PublishAsync(new ForgelineEvent(EventKinds.WorkerChanged, 1));
        await stopped.WaitForCountAsync(1, "events before disposing");

        await subscription.DisposeAsync();
        await bus.PublishAsync(new ForgelineEvent(EventKinds.WorkerChanged, 2));
        await bus.PublishAsync(new ForgelineEvent(EventKinds.WorkerChanged, 3));

        (await kept.WaitForCountAsync(3, "events at the kept subscription")).ShouldBe([1L, 2L, 3L]);
        stopped.Items.ShouldBe([1L]);
    }

    [Fact]
    public async Task Each_work_queue_message_goes_to_exactly_one_of_the_competing_consumers()
    {
        var first = await OpenPartyAsync();
        var second = await OpenPartyAsync();
        var queue = NewQueueName();
        var handled = new Inbox<(string Consumer, string MessageId)>();
        var started = new Dictionary<string, TaskCompletionSource>
        {
            ["first"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["second"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };

        Func<QueuedMessage, CancellationToken, Task> Handler(string name, string other) => async (message, ct) =>
        {
            // Each consumer holds its first message until the other has one too: only competing consumers get past this.
            if (started[name].TrySetResult())
            {
                await started[other].Task.WaitAsync(Patience.Default, ct);
            }

            handled.Add((name, message.MessageId));
        };

        Own(await first.ConsumeAsync(queue, 1, Handler("first", "second")));
        Own(await second.ConsumeAsync(queue, 1, Handler("second", "first")));
        var ids = Enumerable.Range(1, 20).Select(i => $"job-{i}").ToList();
        foreach (var id in ids)
        {
            await first.EnqueueAsync(queue, Encoding.UTF8.GetBytes(id), id);
        }

        var all = await handled.WaitForCountAsync(20, "handled messages");
        all.Select(h => h.MessageId).Order(StringComparer.Ordinal).ShouldBe(ids.Order(StringComparer.Ordinal));
        all.Select(h => h.Consumer).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task A_message_enqueued_before_anyone_consumes_waits_for_a_consumer()
    {
        var producer = await OpenPartyAsync();
        var queue = NewQueueName();
        await producer.EnqueueAsync(queue, new byte[] { 0, 1, 2, 255 }, "early-1");
        await producer.EnqueueAsync(queue, Encoding.UTF8.GetBytes("second"), "early-2");

        var consumerParty = await OpenPartyAsync();
        var received = new Inbox<(string Id, byte[] Body, bool Redelivered)>();
        Own(await consumerParty.ConsumeAsync(queue, 4, (m, _) =>
        {
            received.Add((m.MessageId, m.Body.ToArray(), m.Redelivered));
            return Task.CompletedTask;
        }));

        var messages = (await received.WaitForCountAsync(2, "messages")).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
        messages[0].Id.ShouldBe("early-1");
        messages[0].Body.ShouldBe(new byte[] { 0, 1, 2, 255 });
        messages[1].Body.ShouldBe(Encoding.UTF8.GetBytes("second"));
        messages.ShouldAllBe(m => !m.Redelivered);
    }

    [Fact]
    public async Task A_message_whose_handler_throws_is_delivered_again_and_another_consumer_completes_it()
    {
        var failingParty = await OpenPartyAsync();
        var healthyParty = await OpenPartyAsync();
        var queue = NewQueueName();
        var attempts = new Inbox<bool>();
        Own(await failingParty.ConsumeAsync(queue, 1, (m, _) =>
        {
            attempts.Add(m.Redelivered);
            throw new InvalidOperationException("cannot handle this one");
        }));
        await healthyParty.EnqueueAsync(queue, Encoding.UTF8.GetBytes("payload"), "flaky-1");
        await attempts.WaitForCountAsync(1, "attempts of the failing consumer");

        var completed = new Inbox<(string Id, string Body, bool Redelivered)>();
        Own(await healthyParty.ConsumeAsync(queue, 1, (m, _) =>
        {
            completed.Add((m.MessageId, Encoding.UTF8.GetString(m.Body.Span), m.Redelivered));
            return Task.CompletedTask;
        }));

        var done = (await completed.WaitForCountAsync(1, "completions")).Single();
        done.ShouldBe(("flaky-1", "payload", true));
        FailuresLogged().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task A_message_in_flight_when_its_consumer_stops_goes_to_another_consumer()
    {
        var stoppingParty = await OpenPartyAsync();
        var otherParty = await OpenPartyAsync();
        var queue = NewQueueName();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = await stoppingParty.ConsumeAsync(queue, 1, async (_, ct) =>
        {
            started.TrySetResult();
            using var registration = ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
        });
        await otherParty.EnqueueAsync(queue, Encoding.UTF8.GetBytes("long job"), "long-1");
        await started.Task.WaitAsync(Patience.Default);

        await consumer.DisposeAsync();
        cancelled.Task.IsCompleted.ShouldBeTrue("the handler's token is cancelled when its consumer stops");

        var taken = new Inbox<(string Id, bool Redelivered)>();
        Own(await otherParty.ConsumeAsync(queue, 1, (m, _) =>
        {
            taken.Add((m.MessageId, m.Redelivered));
            return Task.CompletedTask;
        }));
        (await taken.WaitForCountAsync(1, "messages at the other consumer")).Single().ShouldBe(("long-1", true));
    }

    [Fact]
    public async Task A_consumer_runs_up_to_prefetch_handlers_at_once()
    {
        var bus = await OpenPartyAsync();
        var queue = NewQueueName();
        var running = 0;
        var allThree = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new Inbox<string>();
        Own(await bus.ConsumeAsync(queue, 3, async (m, ct) =>
        {
            if (Interlocked.Increment(ref running) == 3)
            {
                allThree.TrySetResult();
            }

            // Nobody finishes until three run side by side: a consumer running one at a time never gets here.
            await allThree.Task.WaitAsync(Patience.Default, ct);
            done.Add(m.MessageId);
        }));

        for (var i = 1; i <= 3; i++)
        {
            await bus.EnqueueAsync(queue, new byte[] { (byte)i }, $"parallel-{i}");
        }

        (await done.WaitForCountAsync(3, "messages handled")).Order(StringComparer.Ordinal).ShouldBe(["parallel-1", "parallel-2", "parallel-3"]);
    }

    [Fact]
    public async Task Names_that_would_break_on_RabbitMQ_are_refused_on_every_bus()
    {
        var bus = await OpenPartyAsync();
        foreach (var kind in new[] { "", "build.*", "build.#", "Build.Queued", "build queued" })
        {
            await Should.ThrowAsync<ArgumentException>(async () => await bus.PublishAsync(new ForgelineEvent(kind)));
            await Should.ThrowAsync<ArgumentException>(async () => await bus.SubscribeAsync([kind], (_, _) => ValueTask.CompletedTask));
        }

        foreach (var queue in new[] { "", " ", "amq.reserved", new string('q', 256) })
        {
            await Should.ThrowAsync<ArgumentException>(async () => await bus.EnqueueAsync(queue, new byte[1], "id"));
            await Should.ThrowAsync<ArgumentException>(async () => await bus.ConsumeAsync(queue, 1, (_, _) => Task.CompletedTask));
        }

        await Should.ThrowAsync<ArgumentOutOfRangeException>(async () => await bus.ConsumeAsync(NewQueueName(), 0, (_, _) => Task.CompletedTask));
        await Should.ThrowAsync<ArgumentException>(async () => await bus.EnqueueAsync(NewQueueName(), new byte[1], ""));
    }

    /// <summary>How many errors the buses of this test logged.</summary>
    protected abstract int FailuresLogged();

    private static ValueTask Record<T>(Inbox<T> inbox, T item)
    {
        inbox.Add(item);
        return ValueTask.CompletedTask;
    }
}
