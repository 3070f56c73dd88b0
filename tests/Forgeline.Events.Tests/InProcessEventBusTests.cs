using Forgeline.Core.Events;
using Forgeline.Events.InProcess;
using Forgeline.Events.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Events.Tests;

/// <summary>The contract on the in-process bus: every party of a test is a target in the same process, sharing its one bus.</summary>
public sealed class InProcessEventBusTests : EventBusContract
{
    private readonly TestLog<InProcessEventBus> log = new();
    private InProcessEventBus? bus;

    protected override Task<IEventBus> OpenPartyAsync()
    {
        bus ??= Own(new InProcessEventBus(Options.Create(FastOptions()), log, TimeProvider.System));
        return Task.FromResult<IEventBus>(bus);
    }

    protected override int FailuresLogged() => log.Entries.Count(e => e.Level == LogLevel.Error);

    [Fact]
    public async Task A_stuck_subscriber_loses_its_oldest_events_and_delays_no_one()
    {
        var options = FastOptions();
        options.SubscriberBufferSize = 16;
        await using var small = new InProcessEventBus(Options.Create(options), log, TimeProvider.System);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = new Inbox<long?>();
        var quick = new Inbox<long?>();
        await using var stuckSubscription = await small.SubscribeAsync([], async (e, ct) =>
        {
            stuck.Add(e.BuildId);
            await release.Task.WaitAsync(ct);
        });
        await using var quickSubscription = await small.SubscribeAsync([], (e, _) =>
        {
            quick.Add(e.BuildId);
            return ValueTask.CompletedTask;
        });

        for (var id = 1; id <= 100; id++)
        {
            // In step with the quick subscriber, whose buffer is as small; the stuck one falls behind all along.
            await small.PublishAsync(new ForgelineEvent(EventKinds.BuildLog, id));
            await quick.WaitForCountAsync(id, "events at the quick subscriber");
            if (id == 1)
            {
                await stuck.WaitForCountAsync(1, "the event the stuck subscriber hangs on");
            }
        }

        quick.Items.ShouldBe(Enumerable.Range(1, 100).Select(i => (long?)i));
        release.SetResult();
        var seen = await stuck.WaitUntilAsync(i => i.Contains(100), "the last event at the stuck subscriber");
        // The event it was stuck on, then the newest 16: the buffer dropped the oldest.
        seen.ShouldBe(new long?[] { 1 }.Concat(Enumerable.Range(85, 16).Select(i => (long?)i)));
        log.Entries.ShouldContain(e => e.Level == LogLevel.Warning && e.Message.Contains("too slow", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_in_process_bus_is_always_healthy_until_disposed()
    {
        var inProcess = new InProcessEventBus(Options.Create(FastOptions()), log, TimeProvider.System);
        inProcess.IsHealthy.ShouldBeTrue();
        inProcess.Status.ShouldBe("in-process");
        await inProcess.DisposeAsync();
        inProcess.IsHealthy.ShouldBeFalse();
        await Should.ThrowAsync<ObjectDisposedException>(async () => await inProcess.PublishAsync(new ForgelineEvent(EventKinds.BuildQueued)));
    }
}
