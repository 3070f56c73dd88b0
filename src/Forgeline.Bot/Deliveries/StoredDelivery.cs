namespace Forgeline.Bot.Deliveries;

/// <summary>A delivery to store.</summary>
/// <param name="Forge">github, gitee or gitlab.</param>
/// <param name="DeliveryId">The forge's delivery id.</param>
/// <param name="Event">The forge's event name.</param>
/// <param name="Body">The body as received; null for rejected deliveries.</param>
/// <param name="State">pending or rejected.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Error">Why it was rejected.</param>
public sealed record StoredDelivery(string Forge, string DeliveryId, string Event, byte[]? Body, string State, DateTime ReceivedAt, string? Error = null);
