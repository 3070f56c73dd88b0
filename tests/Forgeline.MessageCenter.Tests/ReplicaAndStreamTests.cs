using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Outbox;
using Forgeline.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.MessageCenter.Tests;

/// <summary>Several dispatchers on one database, and the live stream's resumption.</summary>
public sealed class ReplicaAndStreamTests
{
    [Fact]
    public async Task Two_dispatchers_on_one_PostgreSQL_database_deliver_each_event_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseEngine.Postgres);
        await using var first = await MessageCenterHost.StartAsync(DatabaseEngine.Postgres, shared: database);
        await using var second = await MessageCenterHost.StartAsync(DatabaseEngine.Postgres, shared: database);
        await using var subscriber = await WebhookSubscriber.StartAsync();
        await first.SubscribeAsync(MessageCenterHost.Admin, subscriber.Url);

        // Both replicas write events at once, as two API processes would.
        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 100; i++) { await first.PublishAsync(EventTypes.BuildQueued, $"builds/a{i}", "alice", isPublic: true); } }),
            Task.Run(async () => { for (var i = 0; i < 100; i++) { await second.PublishAsync(EventTypes.BuildQueued, $"builds/b{i}", "alice", isPublic: true); } }));

        await subscriber.WaitForAsync(r => r.Select(x => x.EventId).Distinct().Count() == 200, TimeSpan.FromSeconds(60));
        // Give a duplicate a moment to show up, if one were coming (the assertion is on what arrived, not on time).
        await Task.Delay(500);
        subscriber.Requests.Count.ShouldBe(200);
    }

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task The_stream_resumes_after_the_last_event_id_with_every_event_missed_and_only_visible_ones(DatabaseEngine engine)
    {
        await using var host = await MessageCenterHost.StartAsync(engine, runDispatcher: false);
        var stream = host.Services.GetRequiredService<EventStream>();
        var seen = await host.PublishAsync(EventTypes.BuildQueued, "builds/1", "alice", isPublic: true);
        await host.PublishAsync(EventTypes.BuildStarted, "builds/1", "alice", isPublic: true);
        await host.PublishAsync(EventTypes.SignatureCreated, "keys/bobs", "bob", isPublic: false);
        await host.PublishAsync(EventTypes.ProjectCreated, "projects/p", "alice", isPublic: false);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var got = new List<string>();
        var live = Task.Run(async () =>
        {
            await foreach (var e in stream.FollowAsync(MessageCenterHost.User("alice"), ["org.forgeline.build.*", "org.forgeline.signature.*"], seen.Id, cts.Token))
            {
                got.Add(e.Subject + " " + e.Type);
                if (got.Count == 2)
                {
                    return;
                }
            }
        }, cts.Token);
        await Task.Delay(200);
        await host.PublishAsync(EventTypes.BuildFinished, "builds/1", "alice", isPublic: true);
        await live;

        got.ShouldBe(["builds/1 org.forgeline.build.started", "builds/1 org.forgeline.build.finished"]);
        (await stream.NewestAsync(cts.Token)).ShouldBeGreaterThan(seen.Id);
    }

    [Fact]
    public async Task A_commit_that_wrote_events_wakes_this_processs_readers()
    {
        await using var host = await MessageCenterHost.StartAsync(DatabaseEngine.Sqlite, runDispatcher: false);
        var signal = host.Services.GetRequiredService<OutboxSignal>();
        var next = signal.Next;
        next.IsCompleted.ShouldBeFalse();
        await host.PublishAsync(EventTypes.BuildQueued, "builds/1", "alice", isPublic: true);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
