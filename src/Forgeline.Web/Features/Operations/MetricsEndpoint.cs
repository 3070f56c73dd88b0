using Forgeline.Builds;
using Forgeline.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Forgeline.Web.Features.Operations;

/// <summary>
/// <c>/metrics</c>: every <c>Forgeline.*</c> meter (System.Diagnostics.Metrics) in Prometheus' text format, by
/// OpenTelemetry's Prometheus exporter. Public, like <c>/healthz</c>: it shows counts, never names or secrets.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    /// <summary>The meters exported: the build farm's, the bot's, the forge clients' and any later <c>Forgeline.*</c> meter.</summary>
    public const string Meters = "Forgeline.*";

    /// <summary>Adds the OpenTelemetry meter provider with the Prometheus exporter.</summary>
    public static IServiceCollection AddForgelineMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            // target_info names the service instead of "unknown_service:dotnet".
            .ConfigureResource(resource => resource.AddService("forgeline", serviceVersion: typeof(MetricsEndpoint).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics
            .AddMeter(Meters)
            // Every scrape sees the counts of that moment (the gauges are read from the database just before).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    /// <summary>Maps <see cref="Path"/>; the gauges of the build farm are refreshed from the database before each scrape.</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            var services = context.RequestServices;
            await services.GetRequiredService<BuildMetrics>().RefreshAsync(
                services.GetRequiredService<ForgelineDbContext>(), services.GetRequiredService<WorkerService>(), context.RequestAborted);
            await next(context);
        }), optionsName: null);
        return app;
    }
}
