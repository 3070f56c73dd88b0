using System.Text.Json;
using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Testing;

namespace Forgeline.MessageCenter.Tests;

/// <summary>Webhook delivery through the real dispatcher to real HTTP subscribers on loopback.</summary>
public sealed class WebhookDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task A_subscriber_gets_the_structured_CloudEvent_signed_with_its_secret(DatabaseEngine engine)
    {
        await using var host = await MessageCenterHost.StartAsync(engine);
        await using var subscriber = await WebhookSubscriber.StartAsync();
        const string secret = "a-secret-of-the-subscriber";
        var subscription = await host.SubscribeAsync(MessageCenterHost.Admin, subscriber.Url, ["org.forgeline.build.*"], secret);
        await host.PublishAsync(EventTypes.ProjectCreated, "projects/not-wanted", "x", isPublic: true);
        var stored = await host.PublishAsync(EventTypes.BuildFinished, "builds/7", "alice", isPublic: true, new { id = 7, result = "succeeded" });

        await subscriber.WaitForAsync(r => r.Count >= 1, Patience);
        var received = subscriber.Requests.ShouldHaveSingleItem();
        WebhookSignature.Verify(secret, received.Body, received.Headers[WebhookSignature.Header]).ShouldBeTrue();
        WebhookSignature.Verify("another-secret-entirely", received.Body, received.Headers[WebhookSignature.Header]).ShouldBeFalse();
        received.Headers["Content-Type"].ShouldStartWith("application/cloudevents+json");
        received.Headers["webhook-id"].ShouldBe(stored.EventId);
        var json = received.Json;
        json.GetProperty("specversion").GetString().ShouldBe("1.0");
        json.GetProperty("id").GetString().ShouldBe(stored.EventId);
        json.GetProperty("type").GetString().ShouldBe(EventTypes.BuildFinished);
        json.GetProperty("source").GetString().ShouldBe("/forgeline/tests");
        json.GetProperty("subject").GetString().ShouldBe("builds/7");
        json.GetProperty("datacontenttype").GetString().ShouldBe("application/json");
        json.GetProperty("data").GetProperty("result").GetString().ShouldBe("succeeded");
        received.Body.ShouldBe(CloudEventEncoder.Encode(stored).ToArray());

        var deliveries = await host.WaitForDeliveriesAsync(MessageCenterHost.Admin, subscription.Subscription.Id, d => d is [{ State: "delivered" }], Patience);
        deliveries[0].Attempts.ShouldBe(1);
        deliveries[0].LastStatus.ShouldBe(200);
        deliveries[0].EventId.ShouldBe(stored.EventId);
    }

    [Fact]
    public async Task A_subscriber_answering_500_gets_the_same_event_on_a_later_attempt()
    {
        await using var host = await MessageCenterHost.StartAsync(DatabaseEngine.Sqlite);
        var calls = 0;
        await using var subscriber = await WebhookSubscriber.StartAsync((_, _) => Task.FromResult(Interlocked.Increment(ref calls) == 1 ? 500 : 200));
        var subscription = await host.SubscribeAsync(MessageCenterHost.Admin, subscriber.Url);
        var stored = await host.PublishAsync(EventTypes.BuildQueued, "builds/8", "alice", isPublic: true);

        var deliveries = await host.WaitForDeliveriesAsync(MessageCenterHost.Admin, subscription.Subscription.Id, d => d is [{ State: "delivered" }], Patience);
        deliveries[0].Attempts.ShouldBe(2);
        deliveries[0].LastStatus.ShouldBe(200);
        subscriber.Requests.Count.ShouldBe(2);
        subscriber.Requests.Select(r => r.EventId).ShouldAllBe(id => id == stored.EventId);
        subscriber.Requests.First().Body.ShouldBe(subscriber.Requests.Last().Body);
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_is_given_up_as_dead_with_its_last_error()
    {
        await using var host = await MessageCenterHost.StartAsync(DatabaseEngine.Sqlite, new Dictionary<string, string?> { ["Forgeline:Events:MaxAttempts"] = "3" });
        await using var subscriber = await WebhookSubscriber.StartAsync((_, _) => Task.FromResult(503));
        var subscription = await host.SubscribeAsync(MessageCenterHost.Admin, subscriber.Url);
        await host.PublishAsync(EventTypes.BuildQueued, "builds/9", "alice", isPublic: true);

        var deliveries = await host.WaitForDeliveriesAsync(MessageCenterHost.Admin, subscription.Subscription.Id, d => d is [{ State: "dead" }], Patience);
        deliveries[0].Attempts.ShouldBe(3);
        deliveries[0].LastStatus.ShouldBe(503);
        deliveries[0].LastError!.ShouldContain("503");
        subscriber.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_hanging_subscriber_times_out_and_the_others_still_get_their_events()
    {
        await using var host = await MessageCenterHost.StartAsync(DatabaseEngine.Sqlite, new Dictionary<string, string?>
        {
            ["Forgeline:Events:TimeoutSeconds"] = "1",
            ["Forgeline:Events:ConcurrencyPerSubscription"] = "2",
        });
        await using var hanging = await WebhookSubscriber.StartAsync(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return 200;
        });
        await using var healthy = await WebhookSubscriber.StartAsync();
        var stuck = await host.SubscribeAsync(MessageCenterHost.Admin, hanging.Url);
        await host.SubscribeAsync(MessageCenterHost.Admin, healthy.Url);
        for (var i = 0; i < 20; i++)
        {
            await host.PublishAsync(EventTypes.BuildQueued, $"builds/{100 + i}", "alice", isPublic: true);
        }

        // With two requests at once per subscription and 1 s each, the hanging one needs ten seconds per attempt of all
        // 20; the healthy one must not wait for that.
        await healthy.WaitForAsync(r => r.Select(x => x.EventId).Distinct().Count() == 20, TimeSpan.FromSeconds(8));
        var deliveries = await host.WaitForDeliveriesAsync(MessageCenterHost.Admin, stuck.Subscription.Id, d => d.Count == 20 && d.Any(x => x.Attempts >= 1), Patience);
        deliveries.ShouldAllBe(d => d.State != "delivered");
        deliveries.First(d => d.Attempts >= 1).LastError!.ShouldContain("no answer within 1 s");
    }

    [Fact]
    public async Task A_user_receives_public_events_and_those_of_the_names_they_act_as_and_an_admin_all()
    {
        await using var host = await MessageCenterHost.StartAsync(DatabaseEngine.Sqlite);
        await using var alices = await WebhookSubscriber.StartAsync();
        await using var admins = await WebhookSubscriber.StartAsync();
        await host.SubscribeAsync(MessageCenterHost.User("alice", "sig-tools"), alices.Url);
        await host.SubscribeAsync(MessageCenterHost.Admin, admins.Url);
        await host.PublishAsync(EventTypes.BuildQueued, "builds/1", "bob", isPublic: true);
        await host.PublishAsync(EventTypes.SignatureCreated, "keys/bobs", "bob", isPublic: false);
        await host.PublishAsync(EventTypes.SignatureCreated, "keys/alices", "alice", isPublic: false);
        await host.PublishAsync(EventTypes.ProjectChanged, "projects/tools", "sig-tools", isPublic: false);

        await admins.WaitForAsync(r => r.Count == 4, Patience);
        await alices.WaitForAsync(r => r.Count == 3, Patience);
        alices.Requests.Select(r => r.Json.GetProperty("subject").GetString()).Order().ShouldBe(["builds/1", "keys/alices", "projects/tools"]);
    }

    [Fact]
    public async Task A_subscription_receives_only_events_written_after_it_was_made()
    {
        await using var host = await MessageCenterHost.StartAsync(DatabaseEngine.Sqlite);
        await using var subscriber = await WebhookSubscriber.StartAsync();
        await host.PublishAsync(EventTypes.BuildQueued, "builds/old", "alice", isPublic: true);
        await host.SubscribeAsync(MessageCenterHost.Admin, subscriber.Url);
        await host.PublishAsync(EventTypes.BuildQueued, "builds/new", "alice", isPublic: true);

        await subscriber.WaitForAsync(r => r.Count >= 1, Patience);
        subscriber.Requests.ShouldHaveSingleItem().Json.GetProperty("subject").GetString().ShouldBe("builds/new");
    }
}
