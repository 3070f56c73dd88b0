namespace Forgeline.Data.Entities;

/// <summary>
/// A row of <c>event_deliveries</c>: one outbox event to one subscription, tried until the subscriber answers 2xx or
/// the attempts run out. (<see cref="SubscriptionId"/>, <see cref="OutboxId"/>) is unique.
/// </summary>
public sealed class EventDeliveryRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The subscription.</summary>
    public long SubscriptionId { get; set; }

    /// <summary>The outbox event.</summary>
    public long OutboxId { get; set; }

    /// <summary>One of <see cref="EventDeliveryStates"/>.</summary>
    public required string State { get; set; }

    /// <summary>HTTP attempts made.</summary>
    public int Attempts { get; set; }

    /// <summary>When the next attempt is due (UTC).</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>Until when the dispatcher that claimed it owns it (UTC); another replica may take it over afterwards.</summary>
    public DateTime? ClaimedUntil { get; set; }

    /// <summary>HTTP status of the last attempt; null when there was no answer.</summary>
    public int? LastStatus { get; set; }

    /// <summary>Why the last attempt failed.</summary>
    public string? LastError { get; set; }

    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When the subscriber accepted it (UTC).</summary>
    public DateTime? DeliveredAt { get; set; }
}

/// <summary>The values of <see cref="EventDeliveryRecord.State"/>.</summary>
public static class EventDeliveryStates
{
    /// <summary>Waiting for its next attempt (or being attempted, while claimed).</summary>
    public const string Pending = "pending";

    /// <summary>The subscriber answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Every attempt failed; no more are made.</summary>
    public const string Dead = "dead";
}
