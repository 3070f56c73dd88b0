using Forgeline.Builds.Coordination;
using Forgeline.Builds.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Images.Server;

/// <summary>
/// Runs <see cref="ImageCoordinatorPass"/> whenever a build ends or something is asked for, and every few seconds
/// anyway (schedules, publications); one replica at a time on PostgreSQL.
/// </summary>
public sealed class ImageCoordinator(IServiceScopeFactory scopes, ImagesSignal signal, FarmEvents farm, IOptions<ImagesOptions> options, ILogger<ImageCoordinator> logger)
    : CoordinatorLoop(scopes, signal, farm, logger)
{
    /// <inheritdoc />
    protected override long LockKey => 0x466f7267_496d6167; // "ForgImag"

    /// <inheritdoc />
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.CoordinatorIntervalSeconds);

    /// <inheritdoc />
    protected override string Name => "image coordinator";

    /// <inheritdoc />
    protected override Task<bool> PassAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<ImageCoordinatorPass>().RunAsync(cancellationToken);
}
