using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.MessageCenter.Webhooks;

/// <summary>
/// Delivers outbox events to webhook subscriptions, at least once. The fan-out reads the outbox in order from the
/// <c>webhooks</c> cursor and, in one transaction, moves the cursor (only if no other replica moved it first) and makes
/// one delivery row per matching subscription, claimed by this process; the rows then go to their subscriptions' lanes.
/// Failed attempts wait with exponential backoff; due retries, and deliveries whose claim lapsed (a process that died),
/// are claimed again by whichever replica gets them first.
/// </summary>
public sealed partial class WebhookDispatcher : BackgroundService
{
    /// <summary>The cursor's name in <c>event_cursors</c>.</summary>
    public const string CursorName = "webhooks";

    private readonly IServiceScopeFactory scopes;
    private readonly OutboxSignal signal;
    private readonly TimeProvider time;
    private readonly MessageCenterOptions options;
    private readonly ILogger<WebhookDispatcher> logger;
    private readonly DeliveryResultWriter results;
    private readonly SubscriberLanes lanes;

    /// <summary>Creates the dispatcher.</summary>
    public WebhookDispatcher(
        IServiceScopeFactory scopes, OutboxSignal signal, WebhookSender sender, TimeProvider time, IOptions<MessageCenterOptions> options, ILoggerFactory loggers)
    {
        this.scopes = scopes;
        this.signal = signal;
        this.time = time;
        this.options = options.Value;
        logger = loggers.CreateLogger<WebhookDispatcher>();
        results = new DeliveryResultWriter(scopes, options, time, loggers.CreateLogger<DeliveryResultWriter>());
        lanes = new SubscriberLanes(sender, results, options);
    }

    /// <summary>Raised after attempts were recorded (their delivery ids), for tests and benchmarks.</summary>
    public event Action<IReadOnlyList<long>>? Recorded
    {
        add => results.Written += value;
        remove => results.Written -= value;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var writer = results.RunAsync(stoppingToken);
        var retries = LoopAsync(RetryOnceAsync, "retrying deliveries", stoppingToken);
        await LoopAsync(FanOutOnceAsync, "fanning out events", stoppingToken);
        await retries;
        await lanes.DisposeAsync();
        await writer;
    }

    private async Task LoopAsync(Func<CancellationToken, Task<bool>> step, string what, CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(options.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = signal.Next;
            var more = false;
            try
            {
                more = await step(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogStepFailed(e, what);
            }

            if (!more)
            {
                try
                {
                    await OutboxSignal.WaitAsync(woken, poll, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Fans out one batch of the outbox; true when there may be more right away.</summary>
    private async Task<bool> FanOutOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var position = await PositionAsync(db, cancellationToken);
        var events = await OutboxReader.ReadAsync(db, position, options.BatchSize, cancellationToken);
        if (events.Count == 0)
        {
            return false;
        }

        var subscriptions = await db.EventSubscriptions.AsNoTracking().ToListAsync(cancellationToken);
        lanes.Retain(subscriptions.Select(s => s.Id).ToHashSet());
        var matchers = subscriptions.Select(s => (Subscription: s, Types: s.TypeList, Viewer: EventViewer.Of(s))).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        var until = now.AddSeconds(options.ClaimSeconds);
        var pairs = new List<(long SubscriptionId, long OutboxId)>();
        foreach (var e in events)
        {
            foreach (var (subscription, types, viewer) in matchers)
            {
                if (e.Id > subscription.FromEvent && EventTypePattern.MatchesAny(types, e.Type) && viewer.CanSee(e))
                {
                    pairs.Add((subscription.Id, e.Id));
                }
            }
        }

        List<NewDelivery> made = [];

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var last = events[^1].Id;
            var moved = await db.Database.ExecuteSqlAsync(
                $"""UPDATE "event_cursors" SET "Position" = {last} WHERE "Name" = {CursorName} AND "Position" = {position}""", cancellationToken);
            if (moved == 0)
            {
                // Another replica fanned this batch out first.
                return true;
            }

            if (pairs.Count > 0)
            {
                made = await DeliveryRows.InsertAsync(db, pairs, now, until, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var bodies = new Dictionary<long, ReadOnlyMemory<byte>>();
        var byId = events.ToDictionary(e => e.Id);
        var subscriptionsById = subscriptions.ToDictionary(s => s.Id);
        foreach (var row in made)
        {
            var (e, subscription) = (byId[row.OutboxId], subscriptionsById[row.SubscriptionId]);
            if (!bodies.TryGetValue(e.Id, out var body))
            {
                bodies[e.Id] = body = CloudEventEncoder.Encode(e);
            }

            Queue(new WebhookWork(row.Id, subscription.Id, subscription.Url, subscription.Secret, 0, e.EventId, e.Type, body));
        }

        LogFannedOut(events.Count, made.Count, events[^1].Id);
        return events.Count == options.BatchSize;
    }

    /// <summary>Claims due retries and lapsed claims; true when there may be more right away.</summary>
    private async Task<bool> RetryOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        const int limit = 500;
        var claimed = await DueDeliveries.ClaimAsync(db, now, now.AddSeconds(options.ClaimSeconds), limit, cancellationToken);
        if (claimed.Count == 0)
        {
            return false;
        }

        var eventIds = claimed.Select(d => d.OutboxId).Distinct().ToList();
        var subscriptionIds = claimed.Select(d => d.SubscriptionId).Distinct().ToList();
        var events = await db.Outbox.AsNoTracking().Where(o => eventIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        var subscriptions = await db.EventSubscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var bodies = new Dictionary<long, ReadOnlyMemory<byte>>();
        foreach (var row in claimed)
        {
            if (!events.TryGetValue(row.OutboxId, out var e) || !subscriptions.TryGetValue(row.SubscriptionId, out var subscription))
            {
                continue;
            }

            if (!bodies.TryGetValue(e.Id, out var body))
            {
                bodies[e.Id] = body = CloudEventEncoder.Encode(e);
            }

            Queue(new WebhookWork(row.Id, subscription.Id, subscription.Url, subscription.Secret, row.Attempts, e.EventId, e.Type, body));
        }

        return claimed.Count == limit;
    }

    private void Queue(WebhookWork work)
    {
        if (!lanes.TryQueue(work))
        {
            LogLaneFull(work.SubscriptionId, work.DeliveryId);
        }
    }

    private async Task<long> PositionAsync(ForgelineDbContext db, CancellationToken cancellationToken)
    {
        if (await db.EventCursors.AsNoTracking().Where(c => c.Name == CursorName).Select(c => (long?)c.Position).FirstOrDefaultAsync(cancellationToken) is { } position)
        {
            return position;
        }

        try
        {
            db.EventCursors.Add(new EventCursorRecord { Name = CursorName, Position = 0 });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another replica made it at the same moment.
        }

        db.ChangeTracker.Clear();
        return await db.EventCursors.AsNoTracking().Where(c => c.Name == CursorName).Select(c => c.Position).FirstAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The webhook dispatcher failed {What}; it tries again")]
    private partial void LogStepFailed(Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fanned out {Events} events as {Deliveries} deliveries, up to outbox id {Position}")]
    private partial void LogFannedOut(int events, int deliveries, long position);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} has a full queue; delivery {DeliveryId} is sent when its claim lapses")]
    private partial void LogLaneFull(long subscriptionId, long deliveryId);
}
