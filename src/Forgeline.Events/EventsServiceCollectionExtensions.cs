using Forgeline.Core.Events;
using Forgeline.Events.InProcess;
using Forgeline.Events.RabbitMq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Forgeline.Events;

/// <summary>Registers the event bus.</summary>
public static class EventsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IEventBus"/> and <see cref="IEventBusHealth"/> as one singleton: <see cref="RabbitMqEventBus"/> when
    /// <c>FORGELINE_BROKER</c> (or <c>Forgeline:Broker</c>) names a broker, connected at host start-up; else
    /// <see cref="InProcessEventBus"/>. Tuning comes from <c>Forgeline:Events</c>.
    /// </summary>
    /// <exception cref="FormatException">The broker setting is not an amqp:// or amqps:// URL; the message names the setting.</exception>
    public static IServiceCollection AddForgelineEvents(this IServiceCollection services, IConfiguration configuration)
    {
        var broker = BrokerSettings.FromConfiguration(configuration);
        services.AddOptions<EventsOptions>().Bind(configuration.GetSection(EventsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(broker);
        if (broker.IsInProcess)
        {
            services.AddSingleton<InProcessEventBus>();
            services.AddSingleton<IEventBus>(sp => sp.GetRequiredService<InProcessEventBus>());
            services.AddSingleton<IEventBusHealth>(sp => sp.GetRequiredService<InProcessEventBus>());
        }
        else
        {
            services.AddSingleton<RabbitMqEventBus>();
            services.AddSingleton<IEventBus>(sp => sp.GetRequiredService<RabbitMqEventBus>());
            services.AddSingleton<IEventBusHealth>(sp => sp.GetRequiredService<RabbitMqEventBus>());
            services.AddHostedService<BrokerConnector>();
        }

        return services;
    }
}
