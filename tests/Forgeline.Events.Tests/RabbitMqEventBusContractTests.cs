using Forgeline.Core.Events;
using Forgeline.Events.RabbitMq;
using Forgeline.Events.Tests.Support;
using Forgeline.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Events.Tests;

/// <summary>The contract on RabbitMQ: each party is a bus with its own connection, on a vhost of this test's own.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqEventBusContractTests(RabbitMqServer broker) : EventBusContract
{
    private readonly TestLog<RabbitMqEventBus> log = new();
    private string virtualHost = "";

    public override async Task InitializeAsync() => virtualHost = await broker.CreateVirtualHostAsync();

    protected override async Task<IEventBus> OpenPartyAsync()
    {
        var bus = Own(new RabbitMqEventBus(BrokerSettings.Parse(broker.Url(virtualHost)), Options.Create(FastOptions()), log, TimeProvider.System));
        await bus.StartAsync();
        return bus;
    }

    protected override int FailuresLogged() => log.Entries.Count(e => e.Level == LogLevel.Error);
}
