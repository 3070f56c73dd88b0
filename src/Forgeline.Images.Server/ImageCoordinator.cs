using Forgeline.Builds.Queue;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Images.Server;

/// <summary>
/// Runs <see cref="ImageCoordinatorPass"/> whenever a build ends or something is asked for, and every few seconds
/// anyway (schedules, publications). On PostgreSQL an advisory lock keeps two replicas from running passes at once.
/// </summary>
public sealed partial class ImageCoordinator(IServiceScopeFactory scopes, ImagesSignal signal, FarmEvents farm, IOptions<ImagesOptions> options, ILogger<ImageCoordinator> logger)
    : BackgroundService
{
    private const long LockKey = 0x466f7267_496d6167; // "ForgImag"

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        farm.BuildFinished += signal.Wake;
        try
        {
            var interval = TimeSpan.FromSeconds(options.Value.CoordinatorIntervalSeconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                while (await RunOnceAsync(stoppingToken))
                {
                }

                await signal.WaitAsync(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            farm.BuildFinished -= signal.Wake;
        }
    }

    /// <summary>One pass in its own scope; false after an error (logged; the next wake tries again).</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var postgres = db.Database.IsPostgres();
        try
        {
            if (postgres)
            {
                await db.Database.OpenConnectionAsync(cancellationToken);
                if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({LockKey}) AS \"Value\"").SingleAsync(cancellationToken))
                {
                    return false;
                }
            }

            return await scope.ServiceProvider.GetRequiredService<ImageCoordinatorPass>().RunAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPassFailed(e);
            return false;
        }
        finally
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the image coordinator failed; the next one tries again")]
    private partial void LogPassFailed(Exception exception);
}
