using Forgeline.Bot.Forges;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;

namespace Forgeline.Bot.Plugins.Assign;

/// <summary>
/// <c>/assign</c> and <c>/unassign</c>: anyone may (un)assign themselves or others. Only people who belong to the work can be
/// assigned: repository members, members of the trusted organisation, the author, and collaborators added to this pull
/// request; the others are named in a reply and left out, the rest are still assigned.
/// </summary>
public sealed class AssignPlugin(ForgeAccess<IIssueAssignees> assignees, ForgeAccess<IRepoMembership> membership) : IBotPlugin
{
    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("assign", "/assign [@user …]",
            $"Assigns the people named (yourself when none): repository members, the trusted organisation's members, the author or this pull request's collaborators; at most {LoginArguments.Max}.",
            CommandAudience.Anyone),
        new("unassign", "/unassign [@user …]", $"Unassigns the people named (yourself when none); at most {LoginArguments.Max}.", CommandAudience.Anyone),
    ];

    /// <inheritdoc />
    public string Name => "assign";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands => Specs;

    /// <inheritdoc />
    public bool Wants(BotEvent e) => false;

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        foreach (var command in context.Commands)
        {
            var targets = LoginArguments.Of(command, context.Event.Sender);
            if (targets.TooMany)
            {
                await context.ReplyAsync($"`/{command.Spec.Name}` takes at most {LoginArguments.Max} people at once; nothing was done.", cancellationToken);
                continue;
            }

            IReadOnlyList<string> done = targets.Logins;
            var problems = new List<string>();
            if (targets.MalformedText is { } malformed)
            {
                problems.Add(malformed);
            }

            if (command.Spec.Name == "assign")
            {
                var (assignable, refused) = await SplitAsync(context, targets.Logins, cancellationToken);
                done = assignable;
                if (assignable.Count > 0)
                {
                    await assignees.On(context).AddAssigneesAsync(context.Event.Repo, context.Number, assignable, cancellationToken);
                }

                if (refused.Count > 0)
                {
                    problems.Add($"{LoginArguments.Mentions(refused)} cannot be assigned: only repository members{OrgText(context)}, the author and collaborators added with `/add-collaborator` can");
                }
            }
            else if (targets.Logins.Count > 0)
            {
                await assignees.On(context).RemoveAssigneesAsync(context.Event.Repo, context.Number, targets.Logins, cancellationToken);
            }

            if (problems.Count > 0)
            {
                var verb = command.Spec.Name == "assign" ? "assigned" : "unassigned";
                var rest = done.Count == 0 ? $"Nobody was {verb}." : $"{LoginArguments.Mentions(done)} {(done.Count == 1 ? "was" : "were")} {verb}.";
                await context.ReplyAsync($"{string.Join("; ", problems)}. {rest}", cancellationToken);
            }
        }
    }

    private async Task<(List<string> Assignable, List<string> Refused)> SplitAsync(PluginContext context, IReadOnlyList<string> logins, CancellationToken cancellationToken)
    {
        var e = context.Event;
        var collaborators = (await context.Pulls.GetAsync(e.Repo, context.Number, cancellationToken)).Collaborators;
        var assignable = new List<string>();
        var refused = new List<string>();
        foreach (var login in logins)
        {
            var ok = (e.Author is { } author && author.Equals(login, StringComparison.OrdinalIgnoreCase))
                || collaborators.Contains(login)
                || await membership.On(context).IsCollaboratorAsync(e.Repo, login, cancellationToken)
                || (context.Settings.Config.TrustedOrg is { } org && await membership.On(context).IsOrgMemberAsync(e.Forge, org, login, cancellationToken));
            (ok ? assignable : refused).Add(login);
        }

        return (assignable, refused);
    }

    private static string OrgText(PluginContext context) => context.Settings.Config.TrustedOrg is { } org ? $", members of {org}" : "";
}
