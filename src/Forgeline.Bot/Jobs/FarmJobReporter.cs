using Forgeline.Builds.Queue;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Jobs;

/// <summary>
/// Runs a <see cref="FarmJobPass"/> whenever a build ends (<see cref="FarmEvents.BuildFinished"/>, in this process or another
/// replica) or a farm job's build finished at once, and every <see cref="Interval"/> anyway. On PostgreSQL an advisory lock
/// keeps two replicas from reporting the same run twice.
/// </summary>
public sealed partial class FarmJobReporter(IServiceScopeFactory scopes, FarmJobSignal signal, ILogger<FarmJobReporter> logger, FarmEvents? farm = null) : BackgroundService
{
    /// <summary>How often it looks without being woken.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private const long LockKey = 0x466f7267_426f744a; // "ForgBotJ"

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
                while (await RunOnceAsync(stoppingToken) >= FarmJobPass.BatchSize)
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

    /// <summary>One pass in its own scope; returns how many runs it closed (0 after an error, which is logged).</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var postgres = db.Database.IsPostgres();
        var locked = false;
        try
        {
            if (postgres)
            {
                await db.Database.OpenConnectionAsync(cancellationToken);
                locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({LockKey}) AS \"Value\"").SingleAsync(cancellationToken);
                if (!locked)
                {
                    return 0;
                }
            }

            // Farm jobs need the build farm in this process; a bot that runs only URL jobs has nothing to report here.
            return farm is null ? 0 : await scope.ServiceProvider.GetRequiredService<FarmJobPass>().RunAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPassFailed(e);
            return 0;
        }
        finally
        {
            if (locked)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the farm job reporter failed; the next one tries again")]
    private partial void LogPassFailed(Exception exception);
}
