using Forgeline.Core.Events;
using Forgeline.Events.InProcess;
using Forgeline.Events.RabbitMq;
using Forgeline.Events.Tests.Support;
using Forgeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Forgeline.Events.Tests;

/// <summary>AddForgelineEvents as a host uses it: which bus it picks, and what start-up does with a broker.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class EventsServiceCollectionTests(RabbitMqServer broker)
{
    [Fact]
    public async Task Without_a_broker_the_host_gets_the_in_process_bus()
    {
        using var host = Host();

        await host.StartAsync();

        var bus = host.Services.GetRequiredService<IEventBus>();
        bus.ShouldBeOfType<InProcessEventBus>();
        host.Services.GetRequiredService<IEventBusHealth>().ShouldBeSameAs(bus);
        host.Services.GetRequiredService<IEventBusHealth>().IsHealthy.ShouldBeTrue();
        await host.StopAsync();
    }

    [Fact]
    public async Task With_a_broker_the_host_connects_at_start_up_and_reports_healthy()
    {
        var url = broker.Url(await broker.CreateVirtualHostAsync());
        using var host = Host(("FORGELINE_BROKER", url));

        await host.StartAsync();

        var bus = host.Services.GetRequiredService<IEventBus>().ShouldBeOfType<RabbitMqEventBus>();
        var health = host.Services.GetRequiredService<IEventBusHealth>();
        health.ShouldBeSameAs(bus);
        health.IsHealthy.ShouldBeTrue();
        health.Status.ShouldEndWith(": connected");
        var received = new Inbox<ForgelineEvent>();
        await using (await bus.SubscribeAsync([EventKinds.WorkerChanged], (e, _) =>
        {
            received.Add(e);
            return ValueTask.CompletedTask;
        }))
        {
            await bus.PublishAsync(new ForgelineEvent(EventKinds.WorkerChanged, Subject: "builder-1"));
            (await received.WaitForCountAsync(1, "events")).Single().Subject.ShouldBe("builder-1");
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task An_unreachable_broker_stops_the_host_from_starting()
    {
        using var host = Host(("Forgeline:Broker", "amqp://forgeline:Hunter2-Secret@127.0.0.1:1/prod"), ("Forgeline:Events:ConnectTimeoutSeconds", "5"));

        var error = await Should.ThrowAsync<EventBusException>(host.StartAsync());

        error.Message.ShouldStartWith("cannot reach the RabbitMQ broker at 127.0.0.1:1 (Forgeline:Broker = amqp://forgeline@127.0.0.1:1/prod)");
        error.ToString().ShouldNotContain("Hunter2-Secret");
    }

    [Fact]
    public void A_broker_setting_that_is_not_a_URL_fails_registration_naming_the_setting()
    {
        var error = Should.Throw<FormatException>(() => Host(("FORGELINE_BROKER", "rabbit.example.org")));

        error.Message.ShouldStartWith("FORGELINE_BROKER is not a URL");
    }

    [Fact]
    public async Task Out_of_range_tuning_stops_the_host_naming_the_setting()
    {
        using var host = Host(("Forgeline:Events:ReconnectIntervalSeconds", "0"));

        var error = await Should.ThrowAsync<OptionsValidationException>(host.StartAsync());

        error.Message.ShouldContain("ReconnectIntervalSeconds");
    }

    private static IHost Host(params (string Key, string Value)[] settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.Services.AddLogging();
        builder.Services.AddForgelineEvents(builder.Configuration);
        return builder.Build();
    }
}
