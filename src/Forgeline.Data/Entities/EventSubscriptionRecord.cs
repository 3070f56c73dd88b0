namespace Forgeline.Data.Entities;

/// <summary>A row of <c>event_subscriptions</c>: a webhook that receives the events matching its type patterns.</summary>
public sealed class EventSubscriptionRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>Who made it (the principal's name).</summary>
    public required string Owner { get; set; }

    /// <summary>Type patterns, separated by spaces.</summary>
    public required string Types { get; set; }

    /// <summary>The http(s) URL events are POSTed to.</summary>
    public required string Url { get; set; }

    /// <summary>
    /// The HMAC key of the signature header. Stored as given: the server needs it to sign every delivery (as forges
    /// store webhook secrets); it is never returned by the API after creation.
    /// </summary>
    public required string Secret { get; set; }

    /// <summary>The names the owner acted as when subscribing (name, queue owner, groups), separated by spaces.</summary>
    public required string Audience { get; set; }

    /// <summary>Whether the owner was an admin when subscribing: then it receives every event.</summary>
    public bool SeesAll { get; set; }

    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>The outbox id that was newest when it was made: it receives the events after it.</summary>
    public long FromEvent { get; set; }

    /// <summary>The patterns of <see cref="Types"/>.</summary>
    public IReadOnlyList<string> TypeList => Types.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The names of <see cref="Audience"/>.</summary>
    public IReadOnlyList<string> AudienceList => Audience.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
