using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Jobs;

namespace Forgeline.Bot.Plugins.Merge;

/// <summary>
/// Merges pull requests when <see cref="MergeRules"/> say they are ready, on whatever event may have changed that (a label,
/// a review, a comment, a status, a push). Until then it keeps the <c>forgeline/merge</c> status on the head saying what is
/// missing, set again only when that or the head changes so repeated events do not flood the forge. A conflict with the
/// base branch labels <c>needs-rebase</c>, removed again when the forge reports the pull request mergeable.
/// </summary>
public sealed class MergePlugin(ForgeAccess<IIssueReader> issues, ForgeAccess<IIssueLabels> labelling, ForgeAccess<ICommitStatuses> statuses, ForgeAccess<IPullMerger> merger) : IBotPlugin
{
    /// <summary>The status context it keeps on pull requests' heads.</summary>
    public const string StatusContext = "forgeline/merge";

    /// <summary>What <see cref="Forgeline.Bot.State.PullState.MergeStatus"/> holds after a merge.</summary>
    public const string Merged = "merged";

    /// <inheritdoc />
    public string Name => "merge";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands { get; } = [];

    /// <inheritdoc />
    public bool Wants(BotEvent e) => e.Kind switch
    {
        BotEventKind.PullRequest => e.IsPullRequest,
        BotEventKind.Review => true,
        BotEventKind.Comment => e.IsPullRequest && e.Number is not null,
        // Its own status changing tells it nothing new.
        BotEventKind.Status => e.Subject != StatusContext && (e.Number is not null || e.HeadSha is not null),
        _ => false,
    };

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var e = context.Event;
        if (e.Kind == BotEventKind.Comment && e.Sender.Equals(context.Settings.Config.BotLogin, StringComparison.OrdinalIgnoreCase))
        {
            return; // its own comments change nothing it judges by
        }

        IReadOnlyList<int> numbers = e.Number is { } number ? [number]
            : e.HeadSha is { } sha ? await context.Pulls.FindByHeadAsync(e.Repo, sha, cancellationToken)
            : [];
        foreach (var pull in numbers)
        {
            await EvaluateAsync(context, pull, cancellationToken);
        }
    }

    private async Task EvaluateAsync(PluginContext context, int number, CancellationToken cancellationToken)
    {
        var repo = context.Event.Repo;
        var pull = await issues.On(context).GetIssueAsync(repo, number, cancellationToken);
        if (!pull.IsPullRequest || pull.State != "open" || pull.HeadSha is not { } head)
        {
            return;
        }

        var labels = pull.Labels.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (pull.Mergeable == false && labels.Add(Labels.NeedsRebase))
        {
            await labelling.On(context).AddLabelsAsync(repo, number, [Labels.NeedsRebase], cancellationToken);
        }
        else if (pull.Mergeable == true && labels.Remove(Labels.NeedsRebase))
        {
            await labelling.On(context).RemoveLabelAsync(repo, number, Labels.NeedsRebase, cancellationToken);
        }

        var latest = await statuses.On(context).GetStatusesAsync(repo, head, cancellationToken);
        var verdict = MergeRules.Judge(labels, pull.Mergeable, latest, context.Settings);
        if (!verdict.Ready)
        {
            await ReportAsync(context, number, head, CommitState.Pending, verdict.Description, cancellationToken);
            return;
        }

        try
        {
            // The forge merges only if the head is still this one: a push in between is never merged unchecked.
            await merger.On(context).MergeAsync(repo, number, head, context.Settings.MergeMethod, cancellationToken);
        }
        catch (ForgeApiException refused)
        {
            await ReportAsync(context, number, head, CommitState.Error, JobRuns.Clip($"the forge refused to merge: {refused.Message}"), cancellationToken);
            return;
        }

        await ReportAsync(context, number, head, CommitState.Success, Merged, cancellationToken);
    }

    /// <summary>Sets the merge status unless the same description is already on the same head.</summary>
    private async Task ReportAsync(PluginContext context, int number, string head, CommitState state, string description, CancellationToken cancellationToken)
    {
        var repo = context.Event.Repo;
        var last = await context.Pulls.GetAsync(repo, number, cancellationToken);
        if (last.HeadSha == head && last.MergeStatus == description)
        {
            return;
        }

        await statuses.On(context).SetStatusAsync(repo, head, new CommitStatus(StatusContext, state, description), cancellationToken);
        await context.Pulls.UpdateAsync(repo, number, s => s with { HeadSha = head, MergeStatus = description }, cancellationToken);
    }
}
