using System.Text;
using Forgeline.Core.Events;
using Forgeline.Events.RabbitMq;
using Forgeline.Events.Tests.Support;
using Forgeline.Testing;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Forgeline.Events.Tests;

/// <summary>What only a broker can show: confirms, durability, a process dying, the connection dropping and coming back.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqEventBusTests(RabbitMqServer broker) : IAsyncLifetime
{
    private readonly TestLog<RabbitMqEventBus> log = new();
    private readonly List<IAsyncDisposable> owned = [];
    private string virtualHost = "";

    public async Task InitializeAsync() => virtualHost = await broker.CreateVirtualHostAsync();

    public async Task DisposeAsync()
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }
    }

    [Fact]
    public async Task Enqueue_returns_once_the_broker_holds_the_message_persistent_in_a_durable_queue()
    {
        var bus = await StartAsync();

        await bus.EnqueueAsync("builds.sign", Encoding.UTF8.GetBytes("sign build 7"), "sign-7");

        // No consumer yet: the broker's own count shows the message arrived, durable and persistent, before Enqueue returned.
        var queues = await broker.CtlAsync("list_queues", "-p", virtualHost, "--no-table-headers", "name", "durable", "messages", "messages_persistent");
        queues.ShouldContain("builds.sign\ttrue\t1\t1");
    }

    [Fact]
    public async Task A_message_the_broker_refuses_fails_the_enqueue_instead_of_vanishing()
    {
        await broker.CtlAsync("set_policy", "-p", virtualHost, "--apply-to", "queues", "one-message", "^capped$", "{\"max-length\":1,\"overflow\":\"reject-publish\"}");
        var bus = await StartAsync();
        await bus.EnqueueAsync("capped", new byte[] { 1 }, "first");

        var refused = await Should.ThrowAsync<EventBusException>(async () => await bus.EnqueueAsync("capped", new byte[] { 2 }, "second"));

        refused.Message.ShouldContain("message second for queue 'capped' was refused");
        refused.Message.ShouldContain($"127.0.0.1:{broker.Port}");
    }

    [Fact]
    public async Task A_queue_that_exists_with_other_settings_is_refused_with_a_message_saying_so()
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = broker.Port, VirtualHost = virtualHost, UserName = RabbitMqServer.UserName, Password = broker.Password };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync("legacy", durable: false, exclusive: false, autoDelete: false);
        }

        var bus = await StartAsync();

        (await Should.ThrowAsync<EventBusException>(async () => await bus.EnqueueAsync("legacy", new byte[1], "m-1")))
            .Message.ShouldStartWith("queue 'legacy' exists on the broker with other settings");
        (await Should.ThrowAsync<EventBusException>(async () => await bus.ConsumeAsync("legacy", 1, (_, _) => Task.CompletedTask)))
            .Message.ShouldStartWith("queue 'legacy' exists on the broker with other settings");
        await bus.EnqueueAsync("fine", new byte[1], "m-2"); // the bus is still usable
    }

    [Fact]
    public async Task A_process_that_dies_mid_handler_loses_its_message_to_another_process()
    {
        // This party never reconnects within the test: once the broker drops its connection, it is as good as dead.
        var dying = await StartAsync(o => o.ReconnectIntervalSeconds = 300);
        var survivor = await StartAsync();
        var queue = $"jobs.{Guid.NewGuid():N}";
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hang = new TaskCompletionSource();
        owned.Add(await dying.ConsumeAsync(queue, 1, async (_, _) =>
        {
            started.TrySetResult();
            await hang.Task; // a handler stuck in a dead process: it never returns, so never acknowledges
        }));
        await survivor.EnqueueAsync(queue, Encoding.UTF8.GetBytes("build 9"), "build-9");
        await started.Task.WaitAsync(Patience.Default);
        var taken = new Inbox<(string Id, string Body, bool Redelivered)>();
        owned.Add(await survivor.ConsumeAsync(queue, 1, (m, _) =>
        {
            taken.Add((m.MessageId, Encoding.UTF8.GetString(m.Body.Span), m.Redelivered));
            return Task.CompletedTask;
        }));

        try
        {
            await broker.CloseConnectionAsync(dying.InstanceId);

            (await taken.WaitForCountAsync(1, "messages at the surviving process")).Single().ShouldBe(("build-9", "build 9", true));
        }
        finally
        {
            hang.SetResult();
        }
    }

    [Fact]
    public async Task After_the_broker_drops_every_connection_the_buses_reconnect_and_carry_on()
    {
        var subscriber = await StartAsync();
        var publisher = await StartAsync();
        var queue = $"jobs.{Guid.NewGuid():N}";
        var events = new Inbox<long?>();
        var messages = new Inbox<string>();
        var health = new Inbox<bool>();
        subscriber.HealthChanged += (_, _) => health.Add(subscriber.IsHealthy);
        owned.Add(await subscriber.SubscribeAsync([EventKinds.BuildChanged], (e, _) =>
        {
            events.Add(e.BuildId);
            return ValueTask.CompletedTask;
        }));
        owned.Add(await subscriber.ConsumeAsync(queue, 1, (m, _) =>
        {
            messages.Add(m.MessageId);
            return Task.CompletedTask;
        }));
        await publisher.PublishAsync(new ForgelineEvent(EventKinds.BuildChanged, 1));
        await events.WaitForCountAsync(1, "events before the drop");

        await broker.CloseConnectionsAsync(virtualHost);
        await health.WaitUntilAsync(h => h.Contains(false) && h[^1], "the subscriber to lose and regain its connection");

        // The publisher may still be reconnecting: publishing waits for it rather than failing.
        await publisher.PublishAsync(new ForgelineEvent(EventKinds.BuildChanged, 2));
        await publisher.EnqueueAsync(queue, new byte[] { 1 }, "after-reconnect");
        (await events.WaitForCountAsync(2, "events after the reconnect")).ShouldBe([1L, 2L]);
        (await messages.WaitForCountAsync(1, "messages after the reconnect")).ShouldBe(["after-reconnect"]);
        subscriber.IsHealthy.ShouldBeTrue();
        subscriber.Status.ShouldBe($"rabbitmq amqp://forgeline@127.0.0.1:{broker.Port}/{virtualHost}: connected");
        log.Entries.ShouldContain(e => e.Message.Contains("lost its connection", StringComparison.Ordinal));
        log.Entries.ShouldContain(e => e.Message.Contains("reconnected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_broker_fails_start_up_naming_the_host_and_not_the_password()
    {
        var closedPort = ClosedPort();
        var bus = Bus($"amqp://forgeline:Sup3r-Secret@127.0.0.1:{closedPort}/prod");

        var error = await Should.ThrowAsync<EventBusException>(bus.StartAsync());

        error.Message.ShouldStartWith($"cannot reach the RabbitMQ broker at 127.0.0.1:{closedPort} (FORGELINE_BROKER = amqp://forgeline@127.0.0.1:{closedPort}/prod)");
        error.Message.ShouldContain("check that RabbitMQ is running");
        error.ToString().ShouldNotContain("Sup3r-Secret");
        bus.IsHealthy.ShouldBeFalse();
        bus.Status.ShouldContain("not connected yet");
    }

    [Fact]
    public async Task A_wrong_password_fails_start_up_saying_the_login_was_refused()
    {
        var bus = Bus(broker.Url(virtualHost, password: "not-the-password"));

        var error = await Should.ThrowAsync<EventBusException>(bus.StartAsync());

        error.Message.ShouldContain($"127.0.0.1:{broker.Port}");
        error.Message.ShouldContain("refused user 'forgeline': check the user name and password in FORGELINE_BROKER");
        error.ToString().ShouldNotContain("not-the-password");
    }

    [Fact]
    public async Task An_unknown_vhost_fails_start_up_saying_how_to_create_it()
    {
        var bus = Bus(broker.Url("no-such-vhost"));

        var error = await Should.ThrowAsync<EventBusException>(bus.StartAsync());

        error.Message.ShouldContain("on vhost 'no-such-vhost'");
        error.Message.ShouldContain("rabbitmqctl add_vhost");
        error.ToString().ShouldNotContain(broker.Password);
    }

    private RabbitMqEventBus Bus(string url, Action<EventsOptions>? configure = null)
    {
        var options = new EventsOptions { RetryDelaySeconds = 0.05, ReconnectIntervalSeconds = 0.2, ConnectTimeoutSeconds = 10, PublishWaitSeconds = 20 };
        configure?.Invoke(options);
        var bus = new RabbitMqEventBus(BrokerSettings.Parse(url), Options.Create(options), log, TimeProvider.System);
        owned.Add(bus);
        return bus;
    }

    private async Task<RabbitMqEventBus> StartAsync(Action<EventsOptions>? configure = null)
    {
        var bus = Bus(broker.Url(virtualHost), configure);
        await bus.StartAsync();
        return bus;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
