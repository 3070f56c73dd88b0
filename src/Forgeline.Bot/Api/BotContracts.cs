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

/// <summary>How many deliveries are in one state, among those received in the last hour and day.</summary>
/// <param name="State">pending, processing, done, failed or rejected.</param>
/// <param name="LastHour">Received in the last hour.</param>
/// <param name="LastDay">Received in the last 24 hours (the hour included).</param>
public sealed record BotDeliveryCountDto(string State, int LastHour, int LastDay);

/// <summary>One forge as the bot is set up for it.</summary>
/// <param name="Forge">github, gitee or gitlab.</param>
/// <param name="Configured">Whether bot.yaml names it under <c>forges</c>.</param>
/// <param name="ApiUrl">Its API's base URL, when configured.</param>
/// <param name="HasWebhookSecret">Whether deliveries can be checked (without a secret they are refused).</param>
/// <param name="WebhookUrl">The URL to paste into the forge's webhook settings.</param>
public sealed record BotForgeDto(string Forge, bool Configured, string? ApiUrl, bool HasWebhookSecret, string WebhookUrl);

/// <summary>The settings of one key of bot.yaml's <c>repos</c>, defaults filled in.</summary>
/// <param name="Key">org, org/repo (either may be prefixed forge:) or default.</param>
/// <param name="Plugins">Enabled plugins.</param>
/// <param name="MergeMethod">merge, squash or rebase.</param>
/// <param name="RequiredLabels">Labels a pull request needs to merge.</param>
/// <param name="BlockingLabels">Labels that stop a merge.</param>
/// <param name="Jobs">CI jobs.</param>
public sealed record BotRepoDto(string Key, IReadOnlyList<string> Plugins, string MergeMethod, IReadOnlyList<string> RequiredLabels,
    IReadOnlyList<string> BlockingLabels, IReadOnlyList<BotJobDto> Jobs);

/// <summary>A CI job of a repository.</summary>
/// <param name="Name">Its name (<c>/test NAME</c>).</param>
/// <param name="Runs">"build farm", or the job URL's scheme, host and path (its query and user info left out: they may hold a token).</param>
/// <param name="AlwaysRun">Runs on every new head, not only on <c>/test</c>.</param>
/// <param name="Required">Must pass before merging.</param>
public sealed record BotJobDto(string Name, string Runs, bool AlwaysRun, bool Required);
