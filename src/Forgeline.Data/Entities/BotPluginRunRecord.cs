namespace Forgeline.Data.Entities;

/// <summary>
/// A row of <c>bot_plugin_runs</c>: what one plugin did with one delivery. A plugin that finished a delivery is not run again
/// when the delivery is processed a second time after a crash.
/// </summary>
public sealed class BotPluginRunRecord
{
    /// <summary>The delivery (<see cref="BotDeliveryRecord.Id"/>).</summary>
    public long DeliveryId { get; set; }

    /// <summary>The plugin's name.</summary>
    public required string Plugin { get; set; }

    /// <summary>done, failed or timeout.</summary>
    public required string Outcome { get; set; }

    /// <summary>How long it ran.</summary>
    public int DurationMs { get; set; }

    /// <summary>The error, for failed and timed-out runs.</summary>
    public string? Error { get; set; }

    /// <summary>When it ended (UTC).</summary>
    public DateTime FinishedAt { get; set; }
}
