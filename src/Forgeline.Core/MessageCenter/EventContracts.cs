namespace Forgeline.Core.MessageCenter;

/// <summary>Body of <c>POST /api/v1/events/subscriptions</c>.</summary>
/// <param name="Types">CloudEvent type patterns (<see cref="EventTypePattern"/>), e.g. <c>org.forgeline.build.*</c>.</param>
/// <param name="Url">The http(s) URL events are POSTed to.</param>
/// <param name="Secret">The HMAC key of <c>X-Forgeline-Signature-256</c>; one is generated (and shown once) when empty.</param>
public sealed record CreateSubscriptionRequest(IReadOnlyList<string> Types, string Url, string? Secret = null);

/// <summary>A webhook subscription as the API returns it (never with its secret).</summary>
/// <param name="Id">Its id.</param>
/// <param name="Owner">Who made it; it receives what they may see.</param>
/// <param name="Types">The type patterns it matches.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="FromEvent">Events after this outbox id are delivered to it.</param>
public sealed record SubscriptionDto(long Id, string Owner, IReadOnlyList<string> Types, string Url, DateTimeOffset CreatedAt, long FromEvent);

/// <summary>Answer to creating a subscription: the subscription and its secret, shown this once.</summary>
public sealed record CreatedSubscriptionDto(SubscriptionDto Subscription, string Secret);

/// <summary>One event's delivery to one subscription.</summary>
/// <param name="Id">Delivery id (also the <c>X-Forgeline-Delivery</c> header).</param>
/// <param name="EventId">The CloudEvent id (also <c>ce-id</c> and <c>webhook-id</c>): the same on every retry.</param>
/// <param name="Type">The CloudEvent type.</param>
/// <param name="Subject">The CloudEvent subject.</param>
/// <param name="State"><c>pending</c> (waiting for its next attempt), <c>delivered</c> or <c>dead</c> (gave up).</param>
/// <param name="Attempts">HTTP attempts made.</param>
/// <param name="LastStatus">HTTP status of the last attempt; null when it got no answer.</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="CreatedAt">When the event was matched to the subscription.</param>
/// <param name="NextAttemptAt">When it is tried again (pending only).</param>
/// <param name="DeliveredAt">When the subscriber accepted it.</param>
public sealed record DeliveryDto(
    long Id,
    string EventId,
    string Type,
    string Subject,
    string State,
    int Attempts,
    int? LastStatus,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt);
