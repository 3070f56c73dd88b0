using Forgeline.Events.RabbitMq;
using Microsoft.Extensions.Hosting;

namespace Forgeline.Events;

/// <summary>Connects to the broker when the host starts, so a wrong or unreachable <c>FORGELINE_BROKER</c> stops start-up with a clear message.</summary>
internal sealed class BrokerConnector(RabbitMqEventBus bus) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => bus.StartAsync(cancellationToken);

    // The bus closes when the container disposes it, after every other service stopped using it.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
