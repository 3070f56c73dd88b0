using Forgeline.Builds.Queue;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgeline.Builds.Coordination;

/// <summary>
/// Runs a coordinator's pass whenever its signal wakes it or a build ends, and every <see cref="Interval"/> anyway; a
/// pass that changed something may have made more work (a cached build ends at once), so it looks again at once. On
/// PostgreSQL an advisory lock (<see cref="LockKey"/>) keeps two replicas from running passes at the same time.
/// </summary>
public abstract partial class CoordinatorLoop(IServiceScopeFactory scopes, WakeSignal signal, FarmEvents? farm, ILogger logger) : BackgroundService
{
    /// <summary>The PostgreSQL advisory lock of this coordinator, the same on every replica.</summary>
    protected abstract long LockKey { get; }

    /// <summary>The longest wait between passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The coordinator's name in the log.</summary>
    protected abstract string Name { get; }

    /// <summary>One pass with <paramref name="services"/> of its own scope; true when it changed something.</summary>
    protected abstract Task<bool> PassAsync(IServiceProvider services, CancellationToken cancellationToken);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (farm is not null)
        {
            farm.BuildFinished += signal.Wake;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                while (await RunOnceAsync(stoppingToken))
                {
                }

                await signal.WaitAsync(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (farm is not null)
            {
                farm.BuildFinished -= signal.Wake;
            }
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

            return await PassAsync(scope.ServiceProvider, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPassFailed(e, Name);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the {Coordinator} failed; the next one tries again")]
    private partial void LogPassFailed(Exception exception, string coordinator);
}
