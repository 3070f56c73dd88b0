using Forgeline.Bot.Commands;
using Forgeline.Bot.Config;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Owners;
using Forgeline.Bot.State;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Plugins;

/// <summary>What a plugin gets for one event.</summary>
/// <param name="Event">The event.</param>
/// <param name="Commands">The plugin's own commands in it that the sender may use, in order.</param>
/// <param name="Forge">The forge's API (plugins use only the narrow interfaces they need).</param>
/// <param name="Settings">The repository's settings.</param>
/// <param name="Pulls">What the bot remembers about pull requests.</param>
/// <param name="Services">The rest of the bot a plugin may need: permissions, OWNERS, jobs.</param>
/// <param name="Logger">The plugin's logger (scoped to the delivery and plugin).</param>
public sealed record PluginContext(
    BotEvent Event,
    IReadOnlyList<CommandInvocation> Commands,
    IForgeClient Forge,
    RepoSettings Settings,
    IBotPullStore Pulls,
    BotServices Services,
    ILogger Logger)
{
    /// <summary>The issue or pull request number; throws when the event has none.</summary>
    public int Number => Event.Number ?? throw new InvalidOperationException($"a {Event.Kind} event has no issue or pull request");

    private Task<OwnersIndex>? owners;

    /// <summary>
    /// The OWNERS files that govern this pull request's changed paths (or, for an issue, the root's), read at the base
    /// branch; read once per event.
    /// </summary>
    public Task<OwnersIndex> OwnersAsync(CancellationToken cancellationToken) => owners ??= LoadOwnersAsync(cancellationToken);

    /// <summary>Answers the sender with a comment on the issue or pull request (<c>@sender: text</c>).</summary>
    public Task ReplyAsync(string text, CancellationToken cancellationToken) =>
        Forge.CreateCommentAsync(Event.Repo, Number, $"@{Event.Sender}: {text}", cancellationToken);

    private async Task<OwnersIndex> LoadOwnersAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> paths = Event.IsPullRequest && Event.Number is { } number ? await Forge.GetChangedFilesAsync(Event.Repo, number, cancellationToken) : [];
        var baseRef = Event.IsPullRequest ? Event.Ref ?? "" : "";
        return await Services.Owners.LoadAsync(Forge, Event.Repo, baseRef, paths, cancellationToken);
    }
}
