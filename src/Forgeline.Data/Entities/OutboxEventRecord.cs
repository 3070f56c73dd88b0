namespace Forgeline.Data.Entities;

/// <summary>
/// A row of <c>event_outbox</c>: one CloudEvent, written in the same transaction as the state change it describes, so a
/// crash never loses or invents one. <see cref="Id"/> orders the outbox (and is the SSE <c>id:</c>); <see cref="EventId"/>
/// is the CloudEvent id, the same on every delivery of it.
/// </summary>
public sealed class OutboxEventRecord
{
    /// <summary>Row id: the event's position in the outbox.</summary>
    public long Id { get; set; }

    /// <summary>The CloudEvent <c>id</c>.</summary>
    public required string EventId { get; set; }

    /// <summary>The CloudEvent <c>type</c>, e.g. <c>org.forgeline.build.finished</c>.</summary>
    public required string Type { get; set; }

    /// <summary>The CloudEvent <c>source</c>, e.g. <c>/forgeline/builds</c>.</summary>
    public required string Source { get; set; }

    /// <summary>The CloudEvent <c>subject</c>, e.g. <c>builds/42</c>.</summary>
    public required string Subject { get; set; }

    /// <summary>The CloudEvent <c>time</c> (UTC).</summary>
    public DateTime Time { get; set; }

    /// <summary>The CloudEvent <c>data</c>, a JSON object.</summary>
    public required string Data { get; set; }

    /// <summary>The user or group the subject belongs to; who besides admins may see a non-public event.</summary>
    public string? Owner { get; set; }

    /// <summary>Whether everyone signed in may see it.</summary>
    public bool IsPublic { get; set; }
}
