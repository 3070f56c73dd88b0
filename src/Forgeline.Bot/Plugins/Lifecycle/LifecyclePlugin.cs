using Forgeline.Bot.Forges;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;

namespace Forgeline.Bot.Plugins.Lifecycle;

/// <summary>
/// <c>/close</c> and <c>/reopen</c>: the author or a repository member closes or reopens an issue or pull request. A merged
/// pull request cannot be reopened; one already in the asked state is left alone.
/// </summary>
public sealed class LifecyclePlugin(ForgeAccess<IIssueReader> issues, ForgeAccess<IIssueState> state) : IBotPlugin
{
    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("close", "/close", "Closes the issue or pull request.", CommandAudience.AuthorOrMembers, Arguments: CommandArguments.None),
        new("reopen", "/reopen", "Reopens a closed issue or pull request (not a merged one).", CommandAudience.AuthorOrMembers, Arguments: CommandArguments.None),
    ];

    /// <inheritdoc />
    public string Name => "lifecycle";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands => Specs;

    /// <inheritdoc />
    public bool Wants(BotEvent e) => false;

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var e = context.Event;
        foreach (var command in context.Commands)
        {
            // The state now, not the event's: a /close then /reopen in one comment must see the close.
            var issue = await issues.On(context).GetIssueAsync(e.Repo, context.Number, cancellationToken);
            var what = issue.IsPullRequest ? "pull request" : "issue";
            if (issue.State == "merged")
            {
                await context.ReplyAsync($"this pull request is merged; it cannot be {(command.Spec.Name == "close" ? "closed" : "reopened")}. Open a new one for further changes.", cancellationToken);
            }
            else if (command.Spec.Name == "close" && issue.State != "closed")
            {
                await state.On(context).CloseAsync(e.Repo, context.Number, issue.IsPullRequest, cancellationToken);
            }
            else if (command.Spec.Name == "reopen" && issue.State == "closed")
            {
                await state.On(context).ReopenAsync(e.Repo, context.Number, issue.IsPullRequest, cancellationToken);
            }
            else
            {
                await context.ReplyAsync($"this {what} is already {issue.State}; nothing was done.", cancellationToken);
            }
        }
    }
}
