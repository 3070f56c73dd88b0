namespace Forgeline.Bot.Api;

/// <summary>A bot command as <c>GET /api/v1/bot/help</c> lists it.</summary>
/// <param name="Name">The command without the slash.</param>
/// <param name="Usage">How to type it.</param>
/// <param name="Description">What it does.</param>
/// <param name="Who">Who may use it.</param>
/// <param name="Plugin">The plugin that handles it (enable it in bot.yaml).</param>
public sealed record BotCommandDto(string Name, string Usage, string Description, string Who, string Plugin);

/// <summary>A stored webhook delivery.</summary>
/// <param name="Id">Row id.</param>
/// <param name="Forge">github, gitee or gitlab.</param>
/// <param name="DeliveryId">The forge's delivery id.</param>
/// <param name="Event">The forge's event name.</param>
/// <param name="Repository">owner/name, once processed.</param>
/// <param name="State">pending, processing, done, failed or rejected.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="FinishedAt">When processing ended.</param>
/// <param name="Attempts">Processing attempts.</param>
/// <param name="Error">Why it failed or was rejected, or which plugins failed.</param>
/// <param name="Plugins">What each plugin did with it.</param>
public sealed record BotDeliveryDto(
    long Id, string Forge, string DeliveryId, string Event, string? Repository, string State, DateTime ReceivedAt, DateTime? FinishedAt, int Attempts, string? Error,
    IReadOnlyList<BotPluginRunDto> Plugins);

/// <summary>What one plugin did with one delivery.</summary>
/// <param name="Plugin">The plugin.</param>
/// <param name="Outcome">done, failed or timeout.</param>
/// <param name="DurationMs">How long it ran.</param>
/// <param name="Error">Its error.</param>
public sealed record BotPluginRunDto(string Plugin, string Outcome, int DurationMs, string? Error);
