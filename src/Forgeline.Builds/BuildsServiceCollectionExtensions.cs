using Forgeline.Builds.Artifacts;
using Forgeline.Builds.Logs;
using Forgeline.Builds.Queue;
using Forgeline.Builds.Scheduling;
using Forgeline.Builds.Targets;
using Forgeline.Core;
using Forgeline.Data.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Forgeline.Builds;

/// <summary>Registers the build farm's services.</summary>
public static class BuildsServiceCollectionExtensions
{
    /// <summary>
    /// Adds submission, the queue, leases, logs, the artifact store and build targets, with options from <c>Forgeline:Builds</c>
    /// and <c>Forgeline:Targets</c>; the lease reaper runs when <paramref name="runScheduler"/>.
    /// </summary>
    public static IServiceCollection AddForgelineBuilds(this IServiceCollection services, IConfiguration configuration, ForgelinePaths paths, bool runScheduler = true)
    {
        services.AddOptions<BuildsOptions>().Bind(configuration.GetSection(BuildsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BuildsOptions>, BuildsOptionsValidator>());
        services.AddOptions<TargetsOptions>().Configure(o => configuration.GetSection(TargetsOptions.Section).Bind(o.Targets)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TargetsOptions>, TargetsOptionsValidator>());
        // Disk space of the data directory and the stores: readiness, the 507 answer and the lease reaper read it.
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new StorageHealth(paths, sp.GetRequiredService<IOptions<StorageOptions>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<SettingsTargets>();
        services.AddScoped<TargetService>();
        services.AddSingleton(new ArtifactStore(paths.Artifacts));
        services.AddSingleton(new BuildLogStore(paths.Logs));
        services.AddSingleton<QueueSignal>();
        // BuildMetrics takes its meter from IMeterFactory; hosts register it already, a bare ServiceCollection does not.
        services.AddMetrics();
        services.AddSingleton<BuildMetrics>();
        services.AddScoped<BuildService>();
        services.AddScoped<BuildVisibility>();
        services.TryAddScoped<Core.Projects.IPrivateProjects, NoPrivateProjects>();
        services.AddScoped<JobService>();
        services.AddSingleton<QueueBook>();
        // Needs an IEventBus (AddForgelineEvents): it applies other replicas' queue events here.
        services.AddSingleton<FarmEvents>();
        services.AddHostedService(sp => sp.GetRequiredService<FarmEvents>());
        services.AddScoped<LeaseRecovery>();
        services.AddScoped<QueueService>();
        services.AddScoped<BuildCache>();
        services.AddScoped<WorkerService>();
        services.AddSingleton<LeaseReaper>();
        if (runScheduler)
        {
            services.AddHostedService(sp => sp.GetRequiredService<LeaseReaper>());
        }
        return services;
    }
}
