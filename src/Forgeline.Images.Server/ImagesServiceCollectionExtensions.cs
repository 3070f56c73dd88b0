using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Images.Server;

/// <summary>Registers image CI on the server.</summary>
public static class ImagesServiceCollectionExtensions
{
    /// <summary>
    /// Adds image CI with options from <c>Forgeline:Images</c>; its coordinator runs when <paramref name="runCoordinator"/>.
    /// Needs the build farm, projects and the signing service.
    /// </summary>
    public static IServiceCollection AddForgelineImages(this IServiceCollection services, IConfiguration configuration, bool runCoordinator = true)
    {
        services.AddOptions<ImagesOptions>().Bind(configuration.GetSection(ImagesOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(BotReporter.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<ImagesSignal>();
        services.AddScoped<ImageCatalog>();
        services.AddScoped<ImageRuns>();
        services.AddScoped<ImageQueries>();
        services.AddScoped<ImageJobComposer>();
        services.AddScoped<BotReporter>();
        services.AddScoped<ImageCoordinatorPass>();
        services.AddSingleton<ImageCoordinator>();
        if (runCoordinator)
        {
            services.AddHostedService(sp => sp.GetRequiredService<ImageCoordinator>());
        }

        return services;
    }
}
