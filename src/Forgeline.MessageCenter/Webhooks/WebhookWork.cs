namespace Forgeline.MessageCenter.Webhooks;

/// <summary>One attempt to make: a claimed delivery with everything needed to send it.</summary>
/// <param name="DeliveryId">The delivery row.</param>
/// <param name="SubscriptionId">Its subscription.</param>
/// <param name="Url">Where to POST.</param>
/// <param name="Secret">The subscription's HMAC key.</param>
/// <param name="Attempts">Attempts made before this one.</param>
/// <param name="EventId">The CloudEvent id.</param>
/// <param name="Type">The CloudEvent type.</param>
/// <param name="Body">The structured CloudEvent JSON.</param>
internal sealed record WebhookWork(long DeliveryId, long SubscriptionId, string Url, string Secret, int Attempts, string EventId, string Type, ReadOnlyMemory<byte> Body);

/// <summary>How an attempt went: the HTTP status (null without an answer) and, unless it succeeded, why it failed.</summary>
internal sealed record WebhookAttempt(int? Status, string? Error)
{
    /// <summary>Whether the subscriber accepted the event (2xx).</summary>
    public bool Succeeded => Status is >= 200 and < 300;
}
