using Forgeline.Bot.Commands;
using Forgeline.Bot.Config;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Plugins.Ci;

/// <summary>
/// CI on pull requests: runs the repository's jobs (<c>jobs:</c> in the configuration) on every new head of a trusted pull
/// request, asks a member to <c>/ok-to-test</c> an outside contributor's, and lets people run jobs (<c>/test</c>,
/// <c>/retest</c>) and sum up the required contexts as a label (<c>/check-ci</c>).
/// </summary>
public sealed partial class CiPlugin(ForgeAccess<IIssueReader> issues, ForgeAccess<IIssueLabels> labels, ForgeAccess<IIssueComments> comments, ForgeAccess<ICommitStatuses> statuses) : IBotPlugin
{
    /// <summary>Every required context passed on the head.</summary>
    public const string CiSuccess = "ci/success";

    /// <summary>A required context failed on the head.</summary>
    public const string CiFailure = "ci/failure";

    /// <summary>A required context is still running or has not reported on the head.</summary>
    public const string CiPending = "ci/pending";

    /// <inheritdoc />
    public string Name => "ci";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands { get; } =
    [
        new("check-ci", "/check-ci", "Labels the pull request ci/success, ci/failure or ci/pending from its required status contexts.", CommandAudience.Anyone, Arguments: CommandArguments.None),
        new("test", "/test NAME… | all | ?", "Runs the named CI jobs on the head (all: every job; ?: lists the jobs).", CommandAudience.AnyoneOnTrusted, Arguments: CommandArguments.Required),
        new("retest", "/retest", "Runs again the jobs that failed on the head.", CommandAudience.AnyoneOnTrusted, Arguments: CommandArguments.None),
        new("ok-to-test", "/ok-to-test", "Trusts an outside contributor's pull request: its jobs run now and on every new push.", CommandAudience.TrustedOrgMembers, Arguments: CommandArguments.None),
    ];

    /// <inheritdoc />
    public bool Wants(BotEvent e) =>
        e is { Kind: BotEventKind.PullRequest, IsPullRequest: true, Number: not null } && e.Action is "opened" or "synchronized" or "reopened";

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        if (context.Commands.Count == 0)
        {
            await OnNewHeadAsync(context, cancellationToken);
            return;
        }

        foreach (var command in context.Commands)
        {
            if (await OpenPullAsync(context, command, cancellationToken) is not { } pull)
            {
                continue;
            }

            switch (command.Spec.Name)
            {
                case "check-ci":
                    await CheckAsync(context, pull, cancellationToken);
                    break;
                case "test":
                    await TestAsync(context, pull, command, cancellationToken);
                    break;
                case "retest":
                    await RetestAsync(context, pull, cancellationToken);
                    break;
                case "ok-to-test":
                    await OkToTestAsync(context, pull, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>The pull request, read fresh; null (after telling the sender) when the command is on an issue or a closed pull request.</summary>
    private async Task<IssueInfo?> OpenPullAsync(PluginContext context, CommandInvocation command, CancellationToken cancellationToken)
    {
        var pull = await issues.On(context).GetIssueAsync(context.Event.Repo, context.Number, cancellationToken);
        if (!pull.IsPullRequest || pull.HeadSha is null)
        {
            await context.ReplyAsync($"`/{command.Spec.Name}` works on pull requests only.", cancellationToken);
            return null;
        }

        if (pull.State != "open")
        {
            await context.ReplyAsync($"`/{command.Spec.Name}` works on open pull requests only; this one is {pull.State}.", cancellationToken);
            return null;
        }

        return pull;
    }

    /// <summary>A new head: trusted pull requests run their always_run jobs; others wait for <c>/ok-to-test</c>.</summary>
    private async Task OnNewHeadAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var pull = await issues.On(context).GetIssueAsync(context.Event.Repo, context.Number, cancellationToken);
        if (pull.State != "open" || pull.HeadSha is null)
        {
            return;
        }

        if (await context.Services.Permissions.IsTrustedAsync(context, cancellationToken))
        {
            var started = await StartAsync(context, pull, [.. context.Settings.Jobs.Where(j => j.AlwaysRun)], cancellationToken);
            if (started.Any(s => !s.Started))
            {
                await context.ReplyAsync(Summary(pull, started), cancellationToken);
            }

            return;
        }

        if (pull.Labels.Contains(Labels.NeedsOkToTest, StringComparer.OrdinalIgnoreCase))
        {
            return; // asked already; a new push does not ask again
        }

        await labels.On(context).AddLabelsAsync(context.Event.Repo, context.Number, [Labels.NeedsOkToTest], cancellationToken);
        var who = context.Settings.Config.TrustedOrg is { } org ? $"a member of {org}" : "a member of this repository";
        await comments.On(context).CreateCommentAsync(context.Event.Repo, context.Number,
            $"Thanks for your pull request, @{pull.Author}. You are not yet a member here, so CI does not run on it until {who} has looked at the changes and commented `/ok-to-test`. " +
            "After that, CI runs on every new push.", cancellationToken);
    }

    private async Task CheckAsync(PluginContext context, IssueInfo pull, CancellationToken cancellationToken)
    {
        var required = context.Settings.RequiredContexts;
        if (required.Count == 0)
        {
            await context.ReplyAsync("this repository requires no status contexts (no required jobs, no merge.required_contexts), so there is nothing to sum up; no label was set.", cancellationToken);
            return;
        }

        var latest = (await statuses.On(context).GetStatusesAsync(context.Event.Repo, pull.HeadSha!, cancellationToken)).ToDictionary(s => s.Context, StringComparer.Ordinal);
        var states = required.Select(c => (Context: c, State: latest.TryGetValue(c, out var s) ? s.State : (CommitState?)null)).ToList();
        var label = states.Any(s => s.State is CommitState.Failure or CommitState.Error) ? CiFailure
            : states.All(s => s.State == CommitState.Success) ? CiSuccess
            : CiPending;
        if (!pull.Labels.Contains(label, StringComparer.OrdinalIgnoreCase))
        {
            await labels.On(context).AddLabelsAsync(context.Event.Repo, context.Number, [label], cancellationToken);
        }

        foreach (var other in new[] { CiSuccess, CiFailure, CiPending }.Where(l => l != label && pull.Labels.Contains(l, StringComparer.OrdinalIgnoreCase)))
        {
            await labels.On(context).RemoveLabelAsync(context.Event.Repo, context.Number, other, cancellationToken);
        }

        var list = string.Join(", ", states.Select(s => $"{s.Context} {(s.State is { } st ? st.ToString().ToLowerInvariant() : "missing")}"));
        await context.ReplyAsync($"CI on {Short(pull.HeadSha!)} is `{label}`: {list}.", cancellationToken);
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}
