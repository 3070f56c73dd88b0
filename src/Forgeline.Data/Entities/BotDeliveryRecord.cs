namespace Forgeline.Data.Entities;

/// <summary>
/// A row of <c>bot_deliveries</c>: one webhook delivery from a forge, stored before the bot answers 202 so nothing is lost
/// when the process dies; (<see cref="Forge"/>, <see cref="DeliveryId"/>) is unique, so a repeated delivery is stored once.
/// Rejected deliveries (bad or missing signature) are kept too, without their body, so an operator can see them.
/// </summary>
public sealed class BotDeliveryRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>github, gitee or gitlab.</summary>
    public required string Forge { get; set; }

    /// <summary>The forge's delivery id (<c>X-GitHub-Delivery</c>, GitLab's <c>Idempotency-Key</c>), or <c>sha256:</c> and the body's digest when the forge sent none (always for Gitee); see <c>IForgeWebhook.DeliveryId</c>.</summary>
    public required string DeliveryId { get; set; }

    /// <summary>The forge's event name (<c>X-GitHub-Event</c>, <c>X-Gitee-Event</c>, <c>X-Gitlab-Event</c>).</summary>
    public required string Event { get; set; }

    /// <summary>The body exactly as received; null for rejected deliveries.</summary>
    public byte[]? Body { get; set; }

    /// <summary>owner/name of the repository, when the body names one (for listing).</summary>
    public string? Repository { get; set; }

    /// <summary>When it arrived (UTC).</summary>
    public DateTime ReceivedAt { get; set; }

    /// <summary>pending, processing, done, failed or rejected.</summary>
    public required string State { get; set; }

    /// <summary>How many times processing started.</summary>
    public int Attempts { get; set; }

    /// <summary>Until when the processor that claimed it owns it (UTC); another may take it over afterwards.</summary>
    public DateTime? ClaimedUntil { get; set; }

    /// <summary>When processing ended (UTC).</summary>
    public DateTime? FinishedAt { get; set; }

    /// <summary>Why it was rejected or failed.</summary>
    public string? Error { get; set; }
}
