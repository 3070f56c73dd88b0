using Forgeline.Bot.Deliveries;
using Forgeline.Data;

namespace Forgeline.Bot.Tests.Deliveries;

/// <summary>
/// Stored deliveries are processed exactly once, on each engine: the claim lets one processor in, leaves a live claim
/// alone and takes over an expired one; the end of processing is recorded (done, failed, or handed back when shutting down).
/// </summary>
public abstract class DeliveryProcessorTests(DatabaseEngine engine) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private DeliveryHarness bot = null!;

    public async Task InitializeAsync() => bot = await DeliveryHarness.StartAsync(engine);

    public async Task DisposeAsync() => await bot.DisposeAsync();

    [Fact]
    public async Task A_command_is_carried_out_once_and_its_delivery_marked_done_with_its_repository()
    {
        var id = await bot.StoreCommentAsync("bob", "/hold");

        await bot.Processor.ProcessAsync(id, CancellationToken.None);
        await bot.Processor.ProcessAsync(id, CancellationToken.None);

        bot.LabelCalls().Count.ShouldBe(1);
        bot.LabelCalls()[0].Body.ShouldContain("do-not-merge/hold");
        var row = await bot.RowAsync(id);
        row.State.ShouldBe(DeliveryStates.Done);
        row.Attempts.ShouldBe(1);
        row.ClaimedUntil.ShouldBeNull();
        row.FinishedAt.ShouldNotBeNull();
        row.Error.ShouldBeNull();
        row.Repository.ShouldBe(DeliveryHarness.Repository);
        var run = (await bot.RunsAsync(id)).ShouldHaveSingleItem();
        run.Plugin.ShouldBe("hold");
        run.Outcome.ShouldBe("done");
        run.Error.ShouldBeNull();
    }

    [Fact]
    public async Task Queued_deliveries_of_one_pull_request_are_carried_out_in_arrival_order()
    {
        // More than are claimed ahead (4 × Concurrency) and than one claim takes (64).
        const int Count = 100;
        var ids = new List<long>();
        for (var i = 0; i < Count; i++)
        {
            ids.Add(await bot.StoreCommentAsync("bob", i % 2 == 0 ? "/hold" : "/hold cancel"));
        }

        var processed = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Processor.Processed += _ =>
        {
            if (Interlocked.Increment(ref processed) == Count)
            {
                all.TrySetResult();
            }
        };
        await bot.Processor.StartAsync(CancellationToken.None);
        try
        {
            foreach (var id in ids)
            {
                await bot.QueueAsync(id);
            }

            await all.Task.WaitAsync(Patience);
        }
        finally
        {
            await bot.Processor.StopAsync(CancellationToken.None);
        }

        // Hold, cancel, hold, cancel …: any two deliveries swapped would put two of a kind side by side.
        var calls = bot.Forge.Calls.Where(c => c.Path.StartsWith($"/repos/{DeliveryHarness.Repository}/issues/2/labels", StringComparison.Ordinal)).Select(c => c.Method).ToList();
        calls.ShouldBe([.. Enumerable.Range(0, Count).Select(i => i % 2 == 0 ? "POST" : "DELETE")]);
        foreach (var id in ids)
        {
            (await bot.RowAsync(id)).State.ShouldBe(DeliveryStates.Done);
        }
    }

    [Fact]
    public async Task A_delivery_taken_over_after_a_crash_does_not_run_again_the_plugins_that_had_ended()
    {
        var id = await bot.StoreCommentAsync("bob", "/hold");
        await bot.Processor.ProcessAsync(id, CancellationToken.None);
        // As if the process had died after the plugin ended but before the delivery was marked done.
        await bot.UpdateRowAsync(id, r =>
        {
            r.State = DeliveryStates.Processing;
            r.ClaimedUntil = new DateTime(2026, 11, 22, 10, 0, 30, DateTimeKind.Utc);
            r.FinishedAt = null;
        });

        bot.Advance(TimeSpan.FromMinutes(1));
        await bot.Processor.ProcessAsync(id, CancellationToken.None);

        bot.LabelCalls().Count.ShouldBe(1);
        var row = await bot.RowAsync(id);
        row.State.ShouldBe(DeliveryStates.Done);
        row.Attempts.ShouldBe(2);
        (await bot.RunsAsync(id)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Processors_racing_for_one_delivery_carry_it_out_once()
    {
        var id = await bot.StoreCommentAsync("bob", "/label kind/bug");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => bot.Processor.ProcessAsync(id, CancellationToken.None))));

        bot.LabelCalls().Count.ShouldBe(1);
        (await bot.RowAsync(id)).Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task A_live_claim_is_left_alone_and_an_expired_one_taken_over()
    {
        var id = await bot.StoreCommentAsync("bob", "/hold");
        // Another processor claimed it a minute before the harness's clock (10:00) runs out.
        var claimedUntil = new DateTime(2026, 11, 22, 10, 1, 0, DateTimeKind.Utc);
        await bot.UpdateRowAsync(id, r =>
        {
            r.State = DeliveryStates.Processing;
            r.ClaimedUntil = claimedUntil;
            r.Attempts = 1;
        });

        await bot.Processor.ProcessAsync(id, CancellationToken.None);
        bot.LabelCalls().ShouldBeEmpty();
        (await bot.RowAsync(id)).State.ShouldBe(DeliveryStates.Processing);

        bot.Advance(TimeSpan.FromSeconds(61));
        await bot.Processor.ProcessAsync(id, CancellationToken.None);

        bot.LabelCalls().Count.ShouldBe(1);
        var row = await bot.RowAsync(id);
        row.State.ShouldBe(DeliveryStates.Done);
        row.Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task A_delivery_that_cannot_be_read_is_marked_failed_with_the_reason()
    {
        var id = await bot.StoreAsync("issue_comment", "{\"action\": \"created\""u8.ToArray());

        await bot.Processor.ProcessAsync(id, CancellationToken.None);

        var row = await bot.RowAsync(id);
        row.State.ShouldBe(DeliveryStates.Failed);
        row.Error.ShouldNotBeNullOrWhiteSpace();
        row.Repository.ShouldBeNull();
        row.FinishedAt.ShouldNotBeNull();
        row.ClaimedUntil.ShouldBeNull();
    }

    [Fact]
    public async Task Shutting_down_mid_way_hands_the_delivery_back_at_once()
    {
        var id = await bot.StoreCommentAsync("bob", "/hold");
        bot.Forge.Pause();
        using var stopping = new CancellationTokenSource();

        var processing = bot.Processor.ProcessAsync(id, stopping.Token);
        await bot.Forge.HeldAsync().WaitAsync(Patience);
        await stopping.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(processing.WaitAsync(Patience));
        var row = await bot.RowAsync(id);
        row.State.ShouldBe(DeliveryStates.Pending);
        row.ClaimedUntil.ShouldBeNull();
        row.FinishedAt.ShouldBeNull();
        row.Error.ShouldBeNull();

        bot.Forge.Resume();
        await bot.Processor.ProcessAsync(id, CancellationToken.None);
        (await bot.RowAsync(id)).State.ShouldBe(DeliveryStates.Done);
    }

    /// <summary>On SQLite.</summary>
    public sealed class OnSqlite() : DeliveryProcessorTests(DatabaseEngine.Sqlite);

    /// <summary>On PostgreSQL.</summary>
    public sealed class OnPostgres() : DeliveryProcessorTests(DatabaseEngine.Postgres);
}
