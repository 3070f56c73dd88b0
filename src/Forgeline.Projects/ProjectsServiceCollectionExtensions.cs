using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Forgeline.Projects;

/// <summary>Registers projects, their batches and repositories.</summary>
public static class ProjectsServiceCollectionExtensions
{
    /// <summary>
    /// Adds projects with options from <c>Forgeline:Projects</c>; the coordinator (which builds batches in order, signs
    /// and publishes) runs when <paramref name="runCoordinator"/>. Needs the build farm, the signing service and an
    /// <see cref="Core.Projects.ISpecReader"/>.
    /// </summary>
    public static IServiceCollection AddForgelineProjects(this IServiceCollection services, IConfiguration configuration, bool runCoordinator = true)
    {
        services.AddOptions<ProjectsOptions>().Bind(configuration.GetSection(ProjectsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProjectsOptions>, ProjectsOptionsValidator>());
        services.AddSingleton<ProjectCoordinatorSignal>();
        services.AddSingleton<ProjectRepositories>();
        services.AddScoped<ProjectService>();
        services.AddScoped<Core.Projects.IPrivateProjects, PrivateProjects>();
        services.AddScoped<PackageService>();
        services.AddScoped<SpecFactsReader>();
        services.AddScoped<BatchPlanner>();
        services.AddScoped<BatchQueries>();
        services.AddScoped<ProjectSigner>();
        services.AddScoped<ProjectWebhooks>();
        services.AddScoped<CoordinatorPass>();
        services.AddSingleton<ProjectCoordinator>();
        if (runCoordinator)
        {
            services.AddHostedService(sp => sp.GetRequiredService<ProjectCoordinator>());
        }

        return services;
    }
}
