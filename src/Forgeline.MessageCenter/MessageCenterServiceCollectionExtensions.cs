using Forgeline.Data.Outbox;
using Forgeline.Events;
using Forgeline.MessageCenter.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Forgeline.MessageCenter;

/// <summary>Registers the message center.</summary>
public static class MessageCenterServiceCollectionExtensions
{
    /// <summary>
    /// Adds subscriptions, the SSE stream and the webhook sender; with <paramref name="runDispatcher"/> (the <c>events</c>
    /// target) also the webhook dispatcher and, with a broker, the RabbitMQ publisher. Settings from <c>Forgeline:Events</c>.
    /// The <see cref="OutboxSignal"/> must be the one given to <c>UseForgelineDatabase</c>.
    /// </summary>
    public static IServiceCollection AddForgelineMessageCenter(this IServiceCollection services, IConfiguration configuration, OutboxSignal signal, bool runDispatcher)
    {
        services.AddOptions<MessageCenterOptions>().Bind(configuration.GetSection(MessageCenterOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessageCenterOptions>, MessageCenterOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(signal);
        services.AddSingleton(sp => new WebhookTargets(sp.GetRequiredService<IOptions<MessageCenterOptions>>().Value));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<EventStream>();
        services.AddScoped<SubscriptionService>();
        services.AddScoped<Notifications>();
        if (runDispatcher)
        {
            services.AddSingleton<WebhookDispatcher>();
            services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
            if (!BrokerSettings.FromConfiguration(configuration).IsInProcess)
            {
                services.AddHostedService<BrokerEventPublisher>();
            }
        }

        return services;
    }
}
