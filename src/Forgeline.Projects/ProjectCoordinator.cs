using Forgeline.Builds.Coordination;
using Forgeline.Builds.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Projects;

/// <summary>
/// Runs <see cref="CoordinatorPass"/> whenever a build ends or a batch is planned, and every few seconds anyway; one
/// scheduler replica at a time on PostgreSQL.
/// </summary>
public sealed class ProjectCoordinator(
    IServiceScopeFactory scopes,
    ProjectCoordinatorSignal signal,
    FarmEvents farm,
    IOptions<ProjectsOptions> options,
    ILogger<ProjectCoordinator> logger) : CoordinatorLoop(scopes, signal, farm, logger)
{
    /// <inheritdoc />
    protected override long LockKey => 0x466f7267_50726f6a; // "ForgProj"

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.CoordinatorIntervalSeconds);

    /// <inheritdoc />
    protected override string Name => "project coordinator";

    /// <inheritdoc />
    protected override Task<bool> PassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<CoordinatorPass>().RunAsync(cancellationToken);
}
