using Forgeline.Bot.Forges;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;
using Forgeline.Bot.Owners;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Plugins.Approve;

/// <summary>
/// <c>/approve</c>: approvers from OWNERS approve a pull request. Approvals are remembered per pull request; once every
/// changed file is covered by an approver of one of its OWNERS files the label <c>approved</c> is added, and until then the
/// bot says which OWNERS files still need an approval and from whom. Approvals outlive pushes, but the coverage is checked
/// again with the new changed files.
/// </summary>
/// <remarks>
/// A repository without any OWNERS file has no approvers: the dispatcher then refuses every <c>/approve</c>, because its
/// audience (<see cref="CommandAudience.Approvers"/>) is empty. Add a root <c>OWNERS</c> file to use this plugin.
/// </remarks>
public sealed partial class ApprovePlugin(ForgeAccess<IIssueReader> issues, ForgeAccess<IIssueLabels> labels, ForgeAccess<IIssueComments> comments) : IBotPlugin
{
    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("approve", "/approve [cancel]",
            "Approves a pull request; `approved` is added once approvers cover every changed file's OWNERS. `cancel` withdraws the approval.",
            CommandAudience.Approvers, Who: "approvers in the OWNERS files of the changed files (or the root OWNERS)"),
    ];

    /// <inheritdoc />
    public string Name => "approve";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands => Specs;

    /// <inheritdoc />
    public bool Wants(BotEvent e) => e is { Kind: BotEventKind.PullRequest, Action: "synchronized" };

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var e = context.Event;
        if (Wants(e))
        {
            var state = await context.Pulls.GetAsync(e.Repo, context.Number, cancellationToken);
            await SyncLabelAsync(context, state.Approvers, Cause.Push, cancellationToken);
            return;
        }

        foreach (var command in context.Commands)
        {
            if (!e.IsPullRequest)
            {
                await context.ReplyAsync("`/approve` applies to pull requests only; nothing was done.", cancellationToken);
                continue;
            }

            if (command.Arguments.Count > 0 && !command.IsCancel)
            {
                await context.ReplyAsync("`/approve` takes no argument but `cancel` (`/approve cancel`); nothing was done.", cancellationToken);
                continue;
            }

            var sender = e.Sender.ToLowerInvariant();
            var state = await context.Pulls.UpdateAsync(e.Repo, context.Number, s => s with
            {
                Approvers = command.IsCancel ? s.Approvers.Where(a => a != sender).ToHashSet() : s.Approvers.Append(sender).ToHashSet(),
            }, cancellationToken);
            LogApproval(context.Logger, e.Repo.ToString(), context.Number, sender, command.IsCancel ? "withdrew" : "gave");
            await SyncLabelAsync(context, state.Approvers, command.IsCancel ? Cause.Cancel : Cause.Approve, cancellationToken);
        }
    }

    /// <summary>Adds or removes <c>approved</c> to match the coverage; says what is missing when it is not complete.</summary>
    private async Task SyncLabelAsync(PluginContext context, IReadOnlySet<string> approvers, Cause cause, CancellationToken cancellationToken)
    {
        var e = context.Event;
        var pull = await issues.On(context).GetIssueAsync(e.Repo, context.Number, cancellationToken);
        var labelled = pull.Labels.Contains(Labels.Approved, StringComparer.OrdinalIgnoreCase);
        if (cause == Cause.Push && approvers.Count == 0 && !labelled)
        {
            // Most pushes: nobody approved yet, so there is nothing to recheck (and no OWNERS files to read).
            return;
        }

        var coverage = (await context.OwnersAsync(cancellationToken)).Coverage(approvers);
        if (coverage.Complete && approvers.Count > 0)
        {
            if (!labelled)
            {
                await labels.On(context).AddLabelsAsync(e.Repo, context.Number, [Labels.Approved], cancellationToken);
            }

            return;
        }

        if (labelled)
        {
            await labels.On(context).RemoveLabelAsync(e.Repo, context.Number, Labels.Approved, cancellationToken);
        }

        var missing = Missing(coverage);
        if (cause == Cause.Approve)
        {
            await context.ReplyAsync(missing, cancellationToken);
        }
        else if (cause == Cause.Push && labelled)
        {
            await comments.On(context).CreateCommentAsync(e.Repo, context.Number, $"New commits changed the files to approve, so `approved` was removed: {missing}", cancellationToken);
        }
    }

    /// <summary>Which OWNERS files still need an approval, and whom to ask.</summary>
    private static string Missing(ApprovalCoverage coverage)
    {
        if (coverage.NeededOwners.Count == 0)
        {
            // Paths whose OWNERS chain has no approver at all: nobody can cover them, a root OWNERS with approvers is missing.
            return $"still needs approval, but no OWNERS file with approvers covers {string.Join(", ", coverage.UncoveredPaths.Take(5).Select(p => $"`{p}`"))}"
                + (coverage.UncoveredPaths.Count > 5 ? $" and {coverage.UncoveredPaths.Count - 5} more" : "")
                + "; add approvers to the root `OWNERS` file.";
        }

        var needed = coverage.NeededOwners.Select(o => $"`{o.Key}` — {string.Join(" or ", o.Value.Select(a => $"@{a}"))}");
        return $"still needs approval for: {string.Join("; ", needed)}";
    }

    /// <summary>Why the coverage is checked: it decides what the bot says.</summary>
    private enum Cause
    {
        /// <summary>Someone approved: they are told what is still missing.</summary>
        Approve,

        /// <summary>Someone withdrew their approval: the label goes, nothing is said (they know).</summary>
        Cancel,

        /// <summary>New commits: when the label goes, a comment says why.</summary>
        Push,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Repository}#{Number}: {Login} {Change} their approval")]
    private static partial void LogApproval(ILogger logger, string repository, int number, string login, string change);
}
