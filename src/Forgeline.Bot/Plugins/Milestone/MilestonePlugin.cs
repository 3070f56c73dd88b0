using Forgeline.Bot.Forges;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;

namespace Forgeline.Bot.Plugins.Milestone;

/// <summary>
/// <c>/check-milestone</c>: an issue or pull request without a milestone gets <c>needs-milestone</c> and an answer; with one,
/// the label goes. Setting a milestone removes the label by itself.
/// </summary>
public sealed class MilestonePlugin(ForgeAccess<IIssueReader> issues, ForgeAccess<IIssueLabels> labels) : IBotPlugin
{
    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("check-milestone", "/check-milestone", "Adds `needs-milestone` when no milestone is set, removes it when one is.",
            CommandAudience.Anyone, Arguments: CommandArguments.None),
    ];

    /// <inheritdoc />
    public string Name => "milestone";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands => Specs;

    /// <inheritdoc />
    public bool Wants(BotEvent e) => e is { Kind: BotEventKind.Issue or BotEventKind.PullRequest, Action: "milestoned" };

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        if (Wants(context.Event))
        {
            await CheckAsync(context, answer: false, cancellationToken);
            return;
        }

        // Several /check-milestone in one comment would all say the same.
        if (context.Commands.Count > 0)
        {
            await CheckAsync(context, answer: true, cancellationToken);
        }
    }

    private async Task CheckAsync(PluginContext context, bool answer, CancellationToken cancellationToken)
    {
        var e = context.Event;

        // Fresh: the comment's payload may not say, and a milestoned event may arrive after a later demilestoned one.
        var issue = await issues.On(context).GetIssueAsync(e.Repo, context.Number, cancellationToken);
        var labelled = issue.Labels.Contains(Labels.NeedsMilestone, StringComparer.OrdinalIgnoreCase);
        if (issue.HasMilestone)
        {
            if (labelled)
            {
                await labels.On(context).RemoveLabelAsync(e.Repo, context.Number, Labels.NeedsMilestone, cancellationToken);
            }

            return;
        }

        if (!answer)
        {
            return;
        }

        if (!labelled)
        {
            await labels.On(context).AddLabelsAsync(e.Repo, context.Number, [Labels.NeedsMilestone], cancellationToken);
        }

        await context.ReplyAsync(
            $"this {(issue.IsPullRequest ? "pull request" : "issue")} has no milestone, so it is labelled `{Labels.NeedsMilestone}`. A maintainer needs to set one; the label then goes by itself.",
            cancellationToken);
    }
}
