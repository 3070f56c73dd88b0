using Forgeline.Bot.Forges;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Plugins.Lgtm;

/// <summary>
/// <c>/lgtm</c>: a reviewer says the pull request looks good (label <c>lgtm</c>). The author may not say it of their own
/// pull request, but may take it back with <c>/lgtm cancel</c>. New commits remove the label: what was reviewed is gone.
/// </summary>
public sealed partial class LgtmPlugin(ForgeAccess<IIssueReader> issues, ForgeAccess<IIssueLabels> labels, ForgeAccess<IIssueComments> comments) : IBotPlugin
{
    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("lgtm", "/lgtm [cancel]", "Adds the `lgtm` label to a pull request; `cancel` removes it. New commits remove it too.", CommandAudience.Reviewers,
            Who: "reviewers (OWNERS reviewers and approvers, collaborators) other than the author, who may only `cancel`", CancelAudience: CommandAudience.AuthorOrReviewers),
    ];

    /// <inheritdoc />
    public string Name => "lgtm";

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
            await ResetOnPushAsync(context, cancellationToken);
            return;
        }

        foreach (var command in context.Commands)
        {
            if (!e.IsPullRequest)
            {
                await context.ReplyAsync("`/lgtm` applies to pull requests only; nothing was done.", cancellationToken);
            }
            else if (command.IsCancel)
            {
                await labels.On(context).RemoveLabelAsync(e.Repo, context.Number, Labels.Lgtm, cancellationToken);
            }
            else if (command.Arguments.Count > 0)
            {
                await context.ReplyAsync("`/lgtm` takes no argument but `cancel` (`/lgtm cancel`); nothing was done.", cancellationToken);
            }
            else if (e.Author is { } author && author.Equals(e.Sender, StringComparison.OrdinalIgnoreCase))
            {
                await context.ReplyAsync(
                    "you cannot `/lgtm` your own pull request: a reviewer has to look at it. You may still take an `lgtm` back with `/lgtm cancel`.", cancellationToken);
            }
            else
            {
                await labels.On(context).AddLabelsAsync(e.Repo, context.Number, [Labels.Lgtm], cancellationToken);
            }
        }
    }

    private async Task ResetOnPushAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var e = context.Event;

        // Read the labels now: the push's payload may predate an lgtm given moments ago, or carry no labels at all.
        var pull = await issues.On(context).GetIssueAsync(e.Repo, context.Number, cancellationToken);
        if (!pull.Labels.Contains(Labels.Lgtm, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        await labels.On(context).RemoveLabelAsync(e.Repo, context.Number, Labels.Lgtm, cancellationToken);
        await comments.On(context).CreateCommentAsync(
            e.Repo, context.Number, $"New commits were pushed{(e.HeadSha is { } sha ? $" (head {sha})" : "")}, so the `lgtm` label was removed: a reviewer needs to look again and `/lgtm`.", cancellationToken);
        LogReset(context.Logger, e.Repo.ToString(), context.Number, e.HeadSha);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed lgtm from {Repository}#{Number}: new head {HeadSha}")]
    private static partial void LogReset(ILogger logger, string repository, int number, string? headSha);
}
