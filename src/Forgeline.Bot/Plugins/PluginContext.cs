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
/// <param name="Client">The event's forge: the dispatcher's and permissions' plumbing; a plugin reaches it only through the
/// <see cref="ForgeAccess{T}"/> its constructor takes.</param>
/// <param name="Settings">The repository's settings.</param>
/// <param name="Pulls">What the bot remembers about pull requests.</param>
/// <param name="Services">The rest of the bot a plugin may need: permissions, OWNERS, jobs.</param>
/// <param name="Logger">The plugin's logger (scoped to the delivery and plugin).</param>
public sealed record PluginContext(
    BotEvent Event,
    IReadOnlyList<CommandInvocation> Commands,
    IForgeClient Client,
    RepoSettings Settings,
    IBotPullStore Pulls,
    BotServices Services,
    ILogger Logger)
{
    // Not public: a plugin that could reach the whole client would not need to say what it uses.
    private IForgeClient Client { get; init; } = Client;

    /// <summary>The forge's membership checks, for <see cref="Commands.CommandPermissions"/>.</summary>
    internal IRepoMembership Membership => Client;

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
        ((IIssueComments)Client).CreateCommentAsync(Event.Repo, Number, $"@{Event.Sender}: {text}", cancellationToken);

    /// <summary>The event's forge as one of its narrow interfaces (<see cref="ForgeAccess{T}.On"/>).</summary>
    internal T Part<T>()
        where T : class => Client as T ?? throw new InvalidOperationException($"the forge client {Client.GetType().Name} does not implement {typeof(T).Name}");

    private async Task<OwnersIndex> LoadOwnersAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> paths = Event.IsPullRequest && Event.Number is { } number ? await Client.GetChangedFilesAsync(Event.Repo, number, cancellationToken) : [];
        var baseRef = Event.IsPullRequest ? Event.Ref ?? "" : "";
        return await Services.Owners.LoadAsync(Client, Event.Repo, baseRef, paths, cancellationToken);
    }
}
