using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Forgeline.Events.RabbitMq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.MessageCenter;

/// <summary>
/// With <c>FORGELINE_BROKER</c>, publishes every outbox event to RabbitMQ's <c>forgeline.events</c> topic exchange
/// (routing key = CloudEvent type), in outbox order, from the <c>rabbitmq</c> cursor: the cursor moves only after the
/// broker confirmed the batch, so a crash publishes the batch again (at least once; consumers skip repeats by CloudEvent id).
/// </summary>
public sealed partial class BrokerEventPublisher(
    IServiceScopeFactory scopes, RabbitMqEventBus bus, OutboxSignal signal, TimeProvider time, IOptions<MessageCenterOptions> options, ILogger<BrokerEventPublisher> logger)
    : BackgroundService
{
    /// <summary>The cursor's name in <c>event_cursors</c>.</summary>
    public const string CursorName = "rabbitmq";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = signal.Next;
            var more = false;
            try
            {
                more = await PublishOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(e);
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

    private async Task<bool> PublishOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var position = await db.EventCursors.AsNoTracking().Where(c => c.Name == CursorName).Select(c => (long?)c.Position).FirstOrDefaultAsync(cancellationToken);
        if (position is null)
        {
            // Start from the events written from now on; earlier ones were never promised to the broker.
            db.EventCursors.Add(new EventCursorRecord { Name = CursorName, Position = await OutboxReader.NewestAsync(db, cancellationToken) });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another replica made it first.
            }

            return true;
        }

        var events = await OutboxReader.ReadAsync(db, position.Value, options.Value.BatchSize, cancellationToken);
        if (events.Count == 0)
        {
            return false;
        }

        foreach (var e in events)
        {
            await bus.PublishCloudEventAsync(e.Type, e.EventId, new DateTimeOffset(e.Time, TimeSpan.Zero), CloudEventEncoder.Encode(e), cancellationToken);
        }

        var last = events[^1].Id;
        await db.Database.ExecuteSqlAsync(
            $"""UPDATE "event_cursors" SET "Position" = {last} WHERE "Name" = {CursorName} AND "Position" < {last}""", cancellationToken);
        return events.Count == options.Value.BatchSize;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing events to RabbitMQ failed; the batch is published again")]
    private partial void LogFailed(Exception exception);
}
