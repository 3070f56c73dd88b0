using Forgeline.Core;
using Forgeline.Playground.Hosting;
using Forgeline.Playground.Images;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Playground.Server;

/// <summary>Registers the playground in <c>forgeline server</c>.</summary>
public static class PlaygroundServiceCollectionExtensions
{
    /// <summary>Adds environments, the broker and, with <paramref name="runHost"/> (and <see cref="PlaygroundOptions.EmbeddedHost"/>), the server's own playground host.</summary>
    public static IServiceCollection AddForgelinePlayground(this IServiceCollection services, IConfiguration configuration, ForgelinePaths paths, bool runHost)
    {
        services.AddOptions<PlaygroundOptions>().Bind(configuration.GetSection(PlaygroundOptions.Section));
        services.AddScoped<PlaygroundEnvironmentService>();
        services.AddSingleton<PlaygroundBroker>();
        services.AddSingleton(new RemoteHosts(new HttpClient { Timeout = TimeSpan.FromMinutes(15) }));
        if (runHost)
        {
            var hostOptions = new PlaygroundHostOptions { DataDirectory = paths.Playground };
            configuration.GetSection(PlaygroundHostOptions.Section).Bind(hostOptions);
            services.AddSingleton(sp => PlaygroundHosts.Create(hostOptions, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
            services.AddHostedService<EmbeddedPlaygroundHost>();
        }

        return services;
    }
}

/// <summary>The HTTP client the broker reaches remote hosts with (their start calls may build an image, so it waits long).</summary>
/// <param name="Http">The client.</param>
public sealed record RemoteHosts(HttpClient Http);

/// <summary>Makes a playground host with its image cache.</summary>
public static class PlaygroundHosts
{
    /// <summary>A host keeping everything under <see cref="PlaygroundHostOptions.DataDirectory"/>.</summary>
    public static PlaygroundHost Create(PlaygroundHostOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var images = new PlaygroundImages(Path.Combine(options.DataDirectory, "images"), loggers.CreateLogger<PlaygroundImages>());
        return new PlaygroundHost(options, async (image, progress, ct) => (await images.EnsureAsync(image, progress, ct)).Layers, time, loggers);
    }
}

/// <summary>Joins the server's own playground host to the broker, and ends its sessions when the server stops.</summary>
public sealed class EmbeddedPlaygroundHost(PlaygroundHost host, PlaygroundBroker broker, IOptions<PlaygroundOptions> options) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.EmbeddedHost)
        {
            host.SessionEnded += broker.HostEnded;
            broker.AddHost(new LocalHostClient($"{Environment.MachineName.ToLowerInvariant()}-embedded", host));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await host.DisposeAsync();
}
