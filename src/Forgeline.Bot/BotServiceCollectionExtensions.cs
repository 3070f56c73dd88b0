using Forgeline.Bot.Commands;
using Forgeline.Bot.Deliveries;
using Forgeline.Bot.Dispatch;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Jobs;
using Forgeline.Bot.Owners;
using Forgeline.Bot.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Bot;

/// <summary>Registers the review bot.</summary>
public static class BotServiceCollectionExtensions
{
    /// <summary>
    /// Adds the bot's services: configuration (<c>Forgeline:Bot</c> and the YAML file, validated at start-up), the plugins,
    /// the webhook intake, and — when <paramref name="runProcessor"/> — the processor that runs plugins on stored deliveries.
    /// </summary>
    public static IServiceCollection AddForgelineBot(this IServiceCollection services, IConfiguration configuration, bool runProcessor)
    {
        services.AddOptions<BotOptions>().Bind(configuration.GetSection(BotOptions.Section))
            .PostConfigure(o => o.Config = configuration["FORGELINE_BOT_CONFIG"] is { Length: > 0 } fromEnvironment ? fromEnvironment : o.Config)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient();
        foreach (var forge in Enum.GetNames<Forge>())
        {
            // The forge clients log what matters themselves (retries, rate limits) and count every request in metrics; the
            // factory's four Information lines per request were most of the server's log under load, and a good part of its CPU.
            services.AddHttpClient(ForgeClients.HttpClientName(forge.ToLowerInvariant())).RemoveAllLoggers();
        }
        services.AddSingleton<BotMetrics>();
        services.AddSingleton(typeof(ForgeAccess<>));
        foreach (var plugin in BotPlugins.All)
        {
            services.AddSingleton(typeof(IBotPlugin), plugin);
        }

        services.AddSingleton<BotRuntime>();
        services.AddSingleton(sp => sp.GetRequiredService<BotRuntime>().Config ?? new Config.BotConfig());
        services.AddBotJobs(runReporter: runProcessor);
        services.AddSingleton(sp => new CommandCatalog(sp.GetServices<IBotPlugin>()));
        services.AddSingleton<CommandPermissions>();
        services.AddSingleton<OwnersReader>();
        services.AddSingleton<ForgeMetrics>();
        services.AddSingleton<IForgeClients, ForgeClients>();
        services.AddSingleton(sp => new EventDispatcher([.. sp.GetServices<IBotPlugin>()], sp.GetRequiredService<CommandCatalog>(), sp.GetRequiredService<BotMetrics>(), sp.GetRequiredService<ILogger<EventDispatcher>>())
        {
            PluginTimeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<BotOptions>>().Value.PluginTimeoutSeconds),
        });
        services.AddSingleton<DeliveryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryWriter>());
        services.AddSingleton<DeliveryIntake>();
        services.AddScoped<Api.BotQueries>();
        if (runProcessor)
        {
            services.AddSingleton<DeliveryProcessor>();
            services.AddHostedService(sp => sp.GetRequiredService<DeliveryProcessor>());
        }

        return services;
    }
}
