namespace Forgeline.Data.Entities;

/// <summary>A row of <c>event_cursors</c>: how far a reader of the outbox (webhook fan-out, RabbitMQ publishing) has got.</summary>
public sealed class EventCursorRecord
{
    /// <summary>The reader, e.g. <c>webhooks</c>.</summary>
    public required string Name { get; set; }

    /// <summary>The last outbox id it handled.</summary>
    public long Position { get; set; }
}
