using Forgeline.Builds.Queue;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Projects;

/// <summary>
/// Runs <see cref="CoordinatorPass"/> whenever a build ends or a batch is planned, and every few seconds anyway. On
/// PostgreSQL an advisory lock keeps two scheduler replicas from running passes at the same time.
/// </summary>
public sealed partial class ProjectCoordinator(
    IServiceScopeFactory scopes,
    ProjectCoordinatorSignal signal,
    FarmEvents farm,
    IOptions<ProjectsOptions> options,
    ILogger<ProjectCoordinator> logger) : BackgroundService
{
    private const long LockKey = 0x466f7267_50726f6a; // "ForgProj"

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        farm.BuildFinished += signal.Wake;
        try
        {
            var interval = TimeSpan.FromSeconds(options.Value.CoordinatorIntervalSeconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                // A pass that changed something may have made more work (a cached build ends at once): look again.
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
                var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({LockKey}) AS \"Value\"").SingleAsync(cancellationToken);
                if (!locked)
                {
                    return false;
                }
            }

            return await scope.ServiceProvider.GetRequiredService<CoordinatorPass>().RunAsync(cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the project coordinator failed; the next one tries again")]
    private partial void LogPassFailed(Exception exception);
}
