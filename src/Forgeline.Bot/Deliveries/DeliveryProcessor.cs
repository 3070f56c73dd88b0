using Forgeline.Bot.Commands;
using Forgeline.Bot.Dispatch;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Owners;
using Forgeline.Bot.Plugins;
using Forgeline.Bot.State;
using Forgeline.Bot.Webhooks;
using Forgeline.Core.Events;
using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Bot.Deliveries;

/// <summary>
/// Processes stored deliveries, each exactly once: a processor claims a delivery with a conditional update (a second
/// copy of the message, or a second replica, finds it claimed or done and skips it), records each plugin's outcome as
/// soon as that plugin ends, and marks the delivery done. A process that dies mid-way leaves the claim to expire; the
/// next claimant runs only the plugins with no recorded outcome. Deliveries arrive over the event bus's work queue (in
/// memory, or RabbitMQ with <c>FORGELINE_BROKER</c>, where any number of bot processes share them); a periodic sweep
/// picks up what never reached the queue. Deliveries of one issue or pull request run one after another in a process.
/// </summary>
public sealed partial class DeliveryProcessor(
    IServiceScopeFactory scopes,
    IEventBus bus,
    BotRuntime runtime,
    EventDispatcher dispatcher,
    IForgeClients clients,
    CommandCatalog catalog,
    CommandPermissions permissions,
    OwnersReader owners,
    IHttpClientFactory http,
    TimeProvider time,
    IOptions<BotOptions> options,
    ILogger<DeliveryProcessor> logger) : BackgroundService
{
    // Striped: deliveries of one issue or pull request always take the same lane; a bounded set, however many pull requests pass.
    private readonly SemaphoreSlim[] lanes = [.. Enumerable.Range(0, 1024).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Raised after a delivery was processed (its row id), for tests and benchmarks.</summary>
    public event Action<long>? Processed;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (runtime.Config is null)
        {
            LogDisabled(runtime.Problem ?? "no configuration");
            return;
        }

        await using var consumer = await bus.ConsumeAsync(
            DeliveryIntake.Queue, options.Value.Concurrency, (message, ct) => ProcessAsync(BitConverter.ToInt64(message.Body.Span), ct), stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds), time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Processes deliveries that were stored but never queued, or whose claim expired.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var settled = now.AddSeconds(-options.Value.SweepSeconds);
        List<long> ids;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
            ids = await db.BotDeliveries.AsNoTracking()
                .Where(d => (d.State == DeliveryStates.Pending && d.ReceivedAt < settled) || (d.State == DeliveryStates.Processing && d.ClaimedUntil < now))
                .OrderBy(d => d.Id).Select(d => d.Id).Take(1000).ToListAsync(cancellationToken);
        }

        foreach (var id in ids)
        {
            await ProcessAsync(id, cancellationToken);
        }
    }

    /// <summary>Claims and processes delivery <paramref name="id"/>; does nothing when it is done or claimed by someone else.</summary>
    public async Task ProcessAsync(long id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var until = now.AddSeconds(options.Value.ClaimSeconds);
        // The claim reads the row it claims (RETURNING, on SQLite and PostgreSQL): one statement, sent as written. EF Core
        // compiles an ExecuteUpdate anew for every new value it sets (1–3 CPU-ms a call); raw SQL it caches by its text.
        var claimed = await db.BotDeliveries.FromSql(
            $"""
            UPDATE "bot_deliveries" SET "State" = {DeliveryStates.Processing}, "ClaimedUntil" = {until}, "Attempts" = "Attempts" + 1
            WHERE "Id" = {id} AND ("State" = {DeliveryStates.Pending} OR ("State" = {DeliveryStates.Processing} AND "ClaimedUntil" < {now}))
            RETURNING *
            """).AsNoTracking().AsAsyncEnumerable().ToListAsync(cancellationToken);
        if (claimed is not [var row])
        {
            return;
        }

        try
        {
            var (state, error, repository, command) = await RunAsync(db, row, scope.ServiceProvider, cancellationToken);
            await FinishAsync(db, id, state, error, repository, CancellationToken.None, command);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: hand it back at once rather than waiting for the claim to expire.
            await FinishAsync(db, id, DeliveryStates.Pending, null, null, CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            LogFailed(e, id, row.Attempts);
            var state = row.Attempts >= options.Value.MaxAttempts ? DeliveryStates.Failed : DeliveryStates.Pending;
            await FinishAsync(db, id, state, e.Message, null, CancellationToken.None);
        }

        Processed?.Invoke(id);
    }

    private async Task<(string State, string? Error, string? Repository, BotCommandData? Command)> RunAsync(ForgelineDbContext db, BotDeliveryRecord row, IServiceProvider provider, CancellationToken cancellationToken)
    {
        var config = runtime.Config!;
        var forge = Enum.Parse<Forge>(row.Forge, ignoreCase: true);
        Events.BotEvent? e;
        try
        {
            e = ForgeWebhooks.For(forge).Parse(row.Event, row.DeliveryId, row.Body ?? []);
        }
        catch (WebhookFormatException problem)
        {
            return (DeliveryStates.Failed, problem.Message, null, null);
        }

        if (e is null)
        {
            return (DeliveryStates.Done, $"{row.Event}: not an event the bot handles", null, null);
        }

        var settings = config.For(e.Repo);
        if (settings.Plugins.Count == 0)
        {
            return (DeliveryStates.Done, "no plugins enabled for this repository", e.Repo.FullName, null);
        }

        if (clients.For(forge) is not { } client)
        {
            return (DeliveryStates.Failed, $"forge '{row.Forge}' has no API settings", e.Repo.FullName, null);
        }

        var lane = lanes[(int)((uint)$"{row.Forge}:{e.Repo.FullName}#{e.Number}".GetHashCode(StringComparison.Ordinal) % lanes.Length)];
        await lane.WaitAsync(cancellationToken);
        try
        {
            // Plugins that ended in an earlier attempt are not run again; on the first attempt there are none to look for.
            var done = row.Attempts <= 1 ? []
                : (await db.BotPluginRuns.AsNoTracking().Where(r => r.DeliveryId == row.Id).Select(r => r.Plugin).ToListAsync(cancellationToken)).ToHashSet();
            var services = new BotServices(permissions, owners, catalog, time, http, provider);
            var outcomes = await dispatcher.DispatchAsync(e, settings, client, new BotPullStore(db, time), services, done, cancellationToken, async outcome =>
            {
                var durationMs = (int)Math.Min(int.MaxValue, outcome.Duration.TotalMilliseconds);
                var finishedAt = time.GetUtcNow().UtcDateTime;
                await db.Database.ExecuteSqlAsync(
                    $"""
                    INSERT INTO "bot_plugin_runs" ("DeliveryId", "Plugin", "Outcome", "DurationMs", "Error", "FinishedAt")
                    VALUES ({row.Id}, {outcome.Plugin}, {outcome.Outcome}, {durationMs}, {outcome.Error}, {finishedAt})
                    """,
                    CancellationToken.None);
            });
            var failed = outcomes.Where(o => o.Outcome != PluginOutcome.Done).Select(o => $"{o.Plugin}: {o.Error}").ToList();
            return (DeliveryStates.Done, failed.Count == 0 ? null : string.Join("; ", failed), e.Repo.FullName, CommandOf(e, failed));
        }
        finally
        {
            lane.Release();
        }
    }

    // The slash commands of a comment the plugins handled, for the message center; null for other events.
    private BotCommandData? CommandOf(Events.BotEvent e, List<string> failed)
    {
        if (e.Kind != Events.BotEventKind.Comment || e.Action is not ("created" or "edited") || e.Number is not { } number
            || catalog.Parser.Parse(e.Comment?.Body) is not { Count: > 0 } commands)
        {
            return null;
        }

        return new BotCommandData(e.Forge.ToString().ToLowerInvariant(), e.Repo.FullName, number, e.Sender,
            [.. commands.Select(c => c.Line.Trim())], failed.Count == 0 ? "done" : string.Join("; ", failed));
    }

    private async Task FinishAsync(ForgelineDbContext db, long id, string state, string? error, string? repository, CancellationToken cancellationToken, BotCommandData? command = null)
    {
        var finished = state == DeliveryStates.Pending ? (DateTime?)null : time.GetUtcNow().UtcDateTime;
        await using var transaction = command is null ? null : await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE "bot_deliveries" SET "State" = {state}, "ClaimedUntil" = NULL, "FinishedAt" = {finished}, "Error" = {error},
                "Repository" = COALESCE({repository}, "Repository")
            WHERE "Id" = {id}
            """,
            cancellationToken);
        if (command is not null && transaction is not null)
        {
            // Owned by the commenter (a forge login): admins and that login see it; the comment itself is on the forge.
            EventOutbox.Add(db, EventTypes.BotCommand, EventOutbox.BotSource, $"{command.Forge}/{command.Repository}/{command.Number}", command.Author, isPublic: false,
                command, finished ?? time.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The review bot is off: {Problem}")]
    private partial void LogDisabled(string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {Id} failed (attempt {Attempt})")]
    private partial void LogFailed(Exception exception, long id, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for leftover deliveries failed")]
    private partial void LogSweepFailed(Exception exception);
}
