using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Webhooks;

/// <summary>
/// One forge's webhook format: which headers name the event and the delivery, how a delivery proves it knows the secret,
/// and how its JSON body becomes a <see cref="BotEvent"/>. Get one with <see cref="ForgeWebhooks.For"/>.
/// </summary>
/// <remarks>
/// Actions beyond those <see cref="BotEvent.Action"/> lists: pushes are <c>pushed</c>, <c>created</c> (a new branch or
/// tag) or <c>deleted</c>; reviews keep the forge's word (<c>submitted</c>, <c>dismissed</c>) and carry the review's
/// state (<c>approved</c>, <c>changes_requested</c>, <c>commented</c>) in <see cref="BotEvent.Subject"/>.
/// </remarks>
public interface IForgeWebhook
{
    /// <summary>The forge whose format this is.</summary>
    Forge Forge { get; }

    /// <summary>The header that names the event.</summary>
    string EventHeader { get; }

    /// <summary>The event name from the forge's event header (<c>X-GitHub-Event</c>, <c>X-Gitee-Event</c>, <c>X-Gitlab-Event</c>); null when absent or blank.</summary>
    string? EventName(Func<string, string?> header);

    /// <summary>
    /// The delivery's id, at most 128 printable ASCII characters: the forge's own id when it sends a usable one, else
    /// <c>sha256:</c> and the hex digest of the body, so a replayed body is the same delivery.
    /// </summary>
    string DeliveryId(Func<string, string?> header, byte[] body);

    /// <summary>Whether the delivery proves it knows <paramref name="secret"/> with this forge's header (another forge's header does not count).</summary>
    bool IsAuthentic(string secret, Func<string, string?> header, byte[] body);

    /// <summary>
    /// The body as a <see cref="BotEvent"/>; null for events and actions the bot ignores. Throws
    /// <see cref="WebhookFormatException"/> when the body is not JSON or lacks what the event needs.
    /// </summary>
    /// <param name="eventName">From <see cref="EventName"/>.</param>
    /// <param name="deliveryId">From <see cref="DeliveryId"/>.</param>
    /// <param name="body">The raw body.</param>
    BotEvent? Parse(string eventName, string deliveryId, byte[] body);
}
