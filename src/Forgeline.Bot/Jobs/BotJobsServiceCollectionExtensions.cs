using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Forgeline.Bot.Jobs;

/// <summary>Registers the bot's CI jobs.</summary>
public static class BotJobsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="JobLauncher"/>, <see cref="JobReports"/>, <see cref="FarmJobPass"/> (scoped) and, when
    /// <paramref name="runReporter"/>, the <see cref="FarmJobReporter"/> hosted service, plus the <c>jobs</c> and <c>cla</c>
    /// HTTP clients. The host registers what they use: <c>ForgelineDbContext</c>, <c>IForgeClients</c>, the <c>BotConfig</c>
    /// (a singleton), and for farm jobs the build farm (<c>AddForgelineBuilds</c>, whose <c>FarmEvents</c> wakes the reporter).
    /// </summary>
    public static IServiceCollection AddBotJobs(this IServiceCollection services, bool runReporter = true)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(JobLauncher.HttpClientName);
        services.AddHttpClient(Plugins.Cla.ClaPlugin.HttpClientName);
        services.TryAddSingleton<FarmJobSignal>();
        services.TryAddScoped<JobLauncher>();
        services.TryAddScoped<JobReports>();
        services.TryAddScoped<FarmJobPass>();
        if (runReporter)
        {
            services.AddHostedService<FarmJobReporter>();
        }

        return services;
    }
}
