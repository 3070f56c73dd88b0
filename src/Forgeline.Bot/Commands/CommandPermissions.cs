using Forgeline.Bot.Plugins;

namespace Forgeline.Bot.Commands;

/// <summary>
/// Decides whether the sender of an event belongs to a command's <see cref="CommandAudience"/>: the one place every plugin's
/// "who may" rule is checked. OWNERS are read at the base branch; membership comes from the forge.
/// </summary>
public sealed class CommandPermissions
{
    /// <summary>Whether the event's sender may use <paramref name="command"/> (with its arguments: <c>cancel</c> may have its own audience).</summary>
    public Task<bool> AllowsAsync(CommandInvocation command, PluginContext context, CancellationToken cancellationToken) =>
        IsInAsync(command.IsCancel && command.Spec.CancelAudience is { } cancel ? cancel : command.Spec.Audience, context.Event.Sender, context, cancellationToken);

    /// <summary>Whether <paramref name="login"/> belongs to <paramref name="audience"/> on the event's repository and issue or pull request.</summary>
    public async Task<bool> IsInAsync(CommandAudience audience, string login, PluginContext context, CancellationToken cancellationToken)
    {
        var e = context.Event;
        var isAuthor = e.Author is { } author && author.Equals(login, StringComparison.OrdinalIgnoreCase);
        switch (audience)
        {
            case CommandAudience.Anyone:
                return true;
            case CommandAudience.AnyoneOnTrusted:
                return await IsTrustedAsync(context, cancellationToken);
            case CommandAudience.Approvers:
                return (await context.OwnersAsync(cancellationToken)).IsApprover(login);
            case CommandAudience.Reviewers:
                return await IsReviewerAsync(login, context, cancellationToken);
            case CommandAudience.Members:
                return await context.Membership.IsCollaboratorAsync(e.Repo, login, cancellationToken);
            case CommandAudience.TrustedOrgMembers:
                return context.Settings.Config.TrustedOrg is { } org
                    ? await context.Membership.IsOrgMemberAsync(e.Forge, org, login, cancellationToken)
                    : await context.Membership.IsCollaboratorAsync(e.Repo, login, cancellationToken);
            case CommandAudience.AuthorOrMembers:
                return isAuthor || await context.Membership.IsCollaboratorAsync(e.Repo, login, cancellationToken);
            case CommandAudience.AuthorOrReviewers:
                return isAuthor || await IsReviewerAsync(login, context, cancellationToken);
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether the pull request may run CI: its author is a repository collaborator or a member of the trusted organisation,
    /// or a member said <c>/ok-to-test</c>.
    /// </summary>
    public async Task<bool> IsTrustedAsync(PluginContext context, CancellationToken cancellationToken)
    {
        var e = context.Event;
        if (e.Number is { } number && (await context.Pulls.GetAsync(e.Repo, number, cancellationToken)).Trusted)
        {
            return true;
        }

        if (e.Author is not { } author)
        {
            return false;
        }

        return await context.Membership.IsCollaboratorAsync(e.Repo, author, cancellationToken)
            || (context.Settings.Config.TrustedOrg is { } org && await context.Membership.IsOrgMemberAsync(e.Forge, org, author, cancellationToken));
    }

    private static async Task<bool> IsReviewerAsync(string login, PluginContext context, CancellationToken cancellationToken)
    {
        var e = context.Event;
        if ((await context.OwnersAsync(cancellationToken)).IsReviewer(login))
        {
            return true;
        }

        if (e.Number is { } number && (await context.Pulls.GetAsync(e.Repo, number, cancellationToken)).Collaborators.Contains(login.ToLowerInvariant()))
        {
            return true;
        }

        return await context.Membership.IsCollaboratorAsync(e.Repo, login, cancellationToken);
    }
}
