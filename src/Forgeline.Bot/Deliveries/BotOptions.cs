using System.ComponentModel.DataAnnotations;

namespace Forgeline.Bot.Deliveries;

/// <summary>Settings of the bot target (<c>Forgeline:Bot</c>); the bot's own rules are in its YAML file.</summary>
public sealed class BotOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Forgeline:Bot";

    /// <summary>The bot's YAML configuration; <c>&lt;data&gt;/bot.yaml</c> when empty (also <c>FORGELINE_BOT_CONFIG</c>).</summary>
    public string? Config { get; set; }

    /// <summary>Largest webhook body accepted (bytes); GitHub caps payloads at 25 MiB, but comment events are a few KiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxWebhookBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Deliveries processed at once by one process (deliveries of one issue or pull request always one after another).</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 8;

    /// <summary>How long a processor owns a claimed delivery before another may take it over (seconds).</summary>
    [Range(5, 3600)]
    public int ClaimSeconds { get; set; } = 120;

    /// <summary>How long one plugin may run on one delivery (seconds).</summary>
    [Range(1, 600)]
    public int PluginTimeoutSeconds { get; set; } = 30;

    /// <summary>Processing attempts before a delivery is marked failed.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How often leftovers (stored but never queued, or claimed by a process that died) are looked for (seconds).</summary>
    [Range(1, 3600)]
    public int SweepSeconds { get; set; } = 15;

    /// <summary>Rejected deliveries stored per minute at most (all are counted in metrics and logged); keeps a flood from filling the database.</summary>
    [Range(0, 100000)]
    public int MaxRejectionsStoredPerMinute { get; set; } = 60;
}
