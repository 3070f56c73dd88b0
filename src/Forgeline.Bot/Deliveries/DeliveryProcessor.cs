using System.Text.Json;
using System.Threading.Channels;
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
/// picks up what never reached the queue. In a process, deliveries are claimed in batches in arrival order and run in
/// <see cref="OrderedLanes"/>: those of one issue or pull request one after another, in order; those of others side by side,
/// <see cref="BotOptions.Concurrency"/> at a time.
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
    // Claimed deliveries waiting for their lane or running, at most: a claim lasts ClaimSeconds, so a process must not
    // claim much more than it can finish meanwhile (another replica would take the rest over), and RabbitMQ keeps what this
    // process cannot take soon for the other replicas.
    private readonly SemaphoreSlim inFlight = new(4 * options.Value.Concurrency, 4 * options.Value.Concurrency);
    private readonly OrderedLanes lanes = new(options.Value.Concurrency);
    private readonly Channel<long> arrivals = Channel.CreateBounded<long>(new BoundedChannelOptions(256) { SingleReader = true });
    private volatile bool pumping;

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

        // One consumer hands ids over in queue order (arrival order); the pump claims them in batches and gives each to its
        // issue's or pull request's lane in that order, so deliveries of one run in order and those of others side by side.
        pumping = true;
        var pump = PumpAsync(stoppingToken);
        await using (var consumer = await bus.ConsumeAsync(
            DeliveryIntake.Queue, 1, (message, ct) => arrivals.Writer.WriteAsync(BitConverter.ToInt64(message.Body.Span), ct).AsTask(), stoppingToken))
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds), time);
            try
            {
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
            finally
            {
                // Claimed deliveries still waiting are handed back (their work sees the cancellation) before the host stops.
                await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
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
            if (pumping)
            {
                // Through the pump, so a leftover keeps its place before later deliveries of its pull request.
                await arrivals.Writer.WriteAsync(id, cancellationToken);
            }
            else
            {
                await ProcessAsync(id, cancellationToken);
            }
        }
    }

    /// <summary>Claims and processes delivery <paramref name="id"/>; does nothing when it is done or claimed by someone else.</summary>
    public async Task ProcessAsync(long id, CancellationToken cancellationToken)
    {
        if (await ClaimAsync(id, cancellationToken) is { } claimed)
        {
            await lanes.RunAsync(claimed.Lane, () => RunClaimedAsync(claimed, cancellationToken));
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var batch = new List<long>(64);
        var running = new HashSet<Task>();
        try
        {
            while (await arrivals.Reader.WaitToReadAsync(cancellationToken))
            {
                // Only as many as may be claimed ahead: waiting for a permit while holding ids whose permits are only given
                // back after this batch ran would wait for ever.
                while (batch.Count < 64 && inFlight.Wait(0, CancellationToken.None))
                {
                    if (!arrivals.Reader.TryRead(out var id))
                    {
                        inFlight.Release();
                        break;
                    }

                    batch.Add(id);
                }

                if (batch.Count == 0)
                {
                    await inFlight.WaitAsync(cancellationToken);
                    inFlight.Release();
                    continue;
                }

                // One claim for the batch, handed to the lanes in arrival order.
                var claims = await TryClaimAsync(batch, cancellationToken);
                for (var unclaimed = batch.Count - claims.Count; unclaimed > 0; unclaimed--)
                {
                    inFlight.Release();
                }

                batch.Clear();
                running.RemoveWhere(t => t.IsCompleted);
                foreach (var claimed in claims)
                {
                    running.Add(lanes.RunAsync(claimed.Lane, async () =>
                    {
                        try
                        {
                            await RunClaimedAsync(claimed, cancellationToken);
                        }
                        finally
                        {
                            inFlight.Release();
                        }
                    }));
                }
            }
        }
        finally
        {
            await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // Claims a batch with one statement (one write transaction for up to 64 deliveries, where one each made the claims
    // queue up for SQLite's write lock); on an error the ids stay pending for the sweep.
    private async Task<List<Claimed>> TryClaimAsync(List<long> ids, CancellationToken cancellationToken)
    {
        try
        {
            List<BotDeliveryRecord> rows;
            await using (var scope = scopes.CreateAsyncScope())
            {
                rows = await ClaimRowsAsync(scope.ServiceProvider.GetRequiredService<ForgelineDbContext>(), ids, cancellationToken);
            }

            return [.. rows.OrderBy(r => r.Id).Select(row => Prepare(scopes.CreateAsyncScope(), row))];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogClaimFailed(e, ids.Count);
            return [];
        }
    }

    // A delivery this process claimed, read and parsed; its scope (and database context) lives until it is finished.
    private sealed record Claimed(AsyncServiceScope Scope, ForgelineDbContext Db, BotDeliveryRecord Row, Events.BotEvent? Event, string? Problem, string Lane);

    private async Task<Claimed?> ClaimAsync(long id, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            if (await ClaimRowsAsync(scope.ServiceProvider.GetRequiredService<ForgelineDbContext>(), [id], cancellationToken) is [var row])
            {
                return Prepare(scope, row);
            }
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }

        await scope.DisposeAsync();
        return null;
    }

    // The claim reads the rows it claims (RETURNING, on SQLite and PostgreSQL): one statement, sent as written, whatever the
    // number of ids (a JSON array on SQLite, an array on PostgreSQL). EF Core compiles an ExecuteUpdate anew for every new
    // value it sets (1–3 CPU-ms a call); raw SQL it caches by its text.
    private Task<List<BotDeliveryRecord>> ClaimRowsAsync(ForgelineDbContext db, List<long> ids, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now.AddSeconds(options.Value.ClaimSeconds);
        var query = db.Database.IsPostgres()
            ? db.BotDeliveries.FromSql(
                $"""
                UPDATE "bot_deliveries" SET "State" = {DeliveryStates.Processing}, "ClaimedUntil" = {until}, "Attempts" = "Attempts" + 1
                WHERE "Id" = ANY({ids.ToArray()}) AND ("State" = {DeliveryStates.Pending} OR ("State" = {DeliveryStates.Processing} AND "ClaimedUntil" < {now}))
                RETURNING *
                """)
            : db.BotDeliveries.FromSql(
                $"""
                UPDATE "bot_deliveries" SET "State" = {DeliveryStates.Processing}, "ClaimedUntil" = {until}, "Attempts" = "Attempts" + 1
                WHERE "Id" IN (SELECT value FROM json_each({JsonSerializer.Serialize(ids)}))
                    AND ("State" = {DeliveryStates.Pending} OR ("State" = {DeliveryStates.Processing} AND "ClaimedUntil" < {now}))
                RETURNING *
                """);
        return query.AsNoTracking().AsAsyncEnumerable().ToListAsync(cancellationToken).AsTask();
    }

    private static Claimed Prepare(AsyncServiceScope scope, BotDeliveryRecord row)
    {
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        try
        {
            var e = ForgeWebhooks.For(Enum.Parse<Forge>(row.Forge, ignoreCase: true)).Parse(row.Event, row.DeliveryId, row.Body ?? []);
            return new Claimed(scope, db, row, e, null, e is null ? $"{row.Forge}:{row.Id}" : $"{row.Forge}:{e.Repo.FullName}#{e.Number}");
        }
        catch (WebhookFormatException problem)
        {
            return new Claimed(scope, db, row, null, problem.Message, $"{row.Forge}:{row.Id}");
        }
    }

    private async Task RunClaimedAsync(Claimed claimed, CancellationToken cancellationToken)
    {
        await using var scope = claimed.Scope;
        var (db, row, id) = (claimed.Db, claimed.Row, claimed.Row.Id);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (state, error, repository, command) = await RunAsync(db, claimed, scope.ServiceProvider, cancellationToken);
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

    private async Task<(string State, string? Error, string? Repository, BotCommandData? Command)> RunAsync(ForgelineDbContext db, Claimed claimed, IServiceProvider provider, CancellationToken cancellationToken)
    {
        var (row, e) = (claimed.Row, claimed.Event);
        if (claimed.Problem is { } problem)
        {
            return (DeliveryStates.Failed, problem, null, null);
        }

        if (e is null)
        {
            return (DeliveryStates.Done, $"{row.Event}: not an event the bot handles", null, null);
        }

        var settings = runtime.Config!.For(e.Repo);
        if (settings.Plugins.Count == 0)
        {
            return (DeliveryStates.Done, "no plugins enabled for this repository", e.Repo.FullName, null);
        }

        if (clients.For(e.Forge) is not { } client)
        {
            return (DeliveryStates.Failed, $"forge '{row.Forge}' has no API settings", e.Repo.FullName, null);
        }

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

    /// <inheritdoc />
    public override void Dispose()
    {
        lanes.Dispose();
        inFlight.Dispose();
        base.Dispose();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming {Count} deliveries failed; the sweep will take them")]
    private partial void LogClaimFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for leftover deliveries failed")]
    private partial void LogSweepFailed(Exception exception);
}
