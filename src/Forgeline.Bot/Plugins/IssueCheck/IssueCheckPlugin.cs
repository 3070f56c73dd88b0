using Forgeline.Bot.Forges;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;

namespace Forgeline.Bot.Plugins.IssueCheck;

/// <summary>
/// Pull requests should say which issue they address. When one's title and description reference no issue (see
/// <see cref="IssueReferences"/>) it is labelled <c>needs-issue</c>, which blocks the merge; linking one and
/// <c>/check-issue</c> (or editing the pull request) removes it. A member may waive it with <c>/remove-needs-issue</c>.
/// Opened and edited pull requests are checked by themselves, silently.
/// </summary>
public sealed class IssueCheckPlugin(ForgeAccess<IIssueReader> issues, ForgeAccess<IIssueLabels> labels) : IBotPlugin
{
    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("check-issue", "/check-issue", "Checks that the pull request's title or description references an issue; labels it `needs-issue` when not.",
            CommandAudience.Anyone, Arguments: CommandArguments.None),
        new("remove-needs-issue", "/remove-needs-issue", "Removes `needs-issue`: this pull request needs no issue.",
            CommandAudience.Members, Arguments: CommandArguments.None),
    ];

    /// <inheritdoc />
    public string Name => "issue-check";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands => Specs;

    /// <inheritdoc />
    public bool Wants(BotEvent e) => e is { Kind: BotEventKind.PullRequest, Action: "opened" or "edited" };

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var e = context.Event;
        if (Wants(e))
        {
            await CheckAsync(context, answer: false, cancellationToken);
            return;
        }

        foreach (var command in context.Commands)
        {
            if (!e.IsPullRequest)
            {
                await context.ReplyAsync($"`/{command.Spec.Name}` applies to pull requests only; nothing was done.", cancellationToken);
            }
            else if (command.Spec.Name == "remove-needs-issue")
            {
                await labels.On(context).RemoveLabelAsync(e.Repo, context.Number, Labels.NeedsIssue, cancellationToken);
            }
            else
            {
                await CheckAsync(context, answer: true, cancellationToken);
            }
        }
    }

    private async Task CheckAsync(PluginContext context, bool answer, CancellationToken cancellationToken)
    {
        var e = context.Event;

        // A comment's payload carries the text as it was then; read it now, since the author may just have fixed it.
        var pull = await issues.On(context).GetIssueAsync(e.Repo, context.Number, cancellationToken);
        if (!answer && pull.State != "open")
        {
            return;
        }

        var labelled = pull.Labels.Contains(Labels.NeedsIssue, StringComparer.OrdinalIgnoreCase);
        if (IssueReferences.Any(pull.Title) || IssueReferences.Any(pull.Body))
        {
            if (labelled)
            {
                await labels.On(context).RemoveLabelAsync(e.Repo, context.Number, Labels.NeedsIssue, cancellationToken);
            }

            return;
        }

        if (!labelled)
        {
            await labels.On(context).AddLabelsAsync(e.Repo, context.Number, [Labels.NeedsIssue], cancellationToken);
        }

        if (answer)
        {
            await context.ReplyAsync(
                $"this pull request references no issue, so it is labelled `{Labels.NeedsIssue}`. Link one in its title or description "
                + "(`#123`, `owner/repo#123`, `#I1ABC2` on Gitee, or the issue's URL), then comment `/check-issue`.",
                cancellationToken);
        }
    }
}
