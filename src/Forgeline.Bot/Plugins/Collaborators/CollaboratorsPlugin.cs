using Forgeline.Bot.Forges;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;

namespace Forgeline.Bot.Plugins.Collaborators;

/// <summary>
/// <c>/add-collaborator</c> and <c>/rm-collaborator</c>: names repository members as collaborators of one pull request (or
/// issue). They are remembered in <see cref="State.PullState.Collaborators"/>; <see cref="CommandPermissions"/> counts them as
/// reviewers there, and <c>/assign</c> accepts them.
/// </summary>
public sealed class CollaboratorsPlugin(ForgeAccess<IRepoMembership> membership) : IBotPlugin
{
    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("add-collaborator", "/add-collaborator @user …",
            $"Makes repository members collaborators of this pull request: they count as its reviewers; at most {LoginArguments.Max}.",
            CommandAudience.Anyone, Arguments: CommandArguments.Required),
        new("rm-collaborator", "/rm-collaborator @user …", "Removes collaborators of this pull request.", CommandAudience.Anyone, Arguments: CommandArguments.Required),
    ];

    /// <inheritdoc />
    public string Name => "collaborators";

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
            var targets = LoginArguments.Of(command);
            if (targets.TooMany)
            {
                await context.ReplyAsync($"`/{command.Spec.Name}` takes at most {LoginArguments.Max} people at once; nothing was done.", cancellationToken);
                continue;
            }

            if (targets.Logins.Count == 0 && targets.Malformed.Count == 0)
            {
                await context.ReplyAsync($"name the people: `{command.Spec.Usage}`; nothing was done.", cancellationToken);
                continue;
            }

            var parts = new List<string>();
            var adding = command.Spec.Name == "add-collaborator";
            var before = (await context.Pulls.GetAsync(e.Repo, context.Number, cancellationToken)).Collaborators;
            var changed = new List<string>();
            var unchanged = new List<string>();
            var refused = new List<string>();
            foreach (var login in targets.Logins)
            {
                if (adding == before.Contains(login))
                {
                    unchanged.Add(login);
                }
                else if (adding && !await membership.On(context).IsCollaboratorAsync(e.Repo, login, cancellationToken))
                {
                    // Removing needs no membership check: someone who left the repository must still be removable.
                    refused.Add(login);
                }
                else
                {
                    changed.Add(login);
                }
            }

            if (changed.Count > 0)
            {
                await context.Pulls.UpdateAsync(e.Repo, context.Number, s => s with
                {
                    Collaborators = adding ? s.Collaborators.Union(changed).ToHashSet() : s.Collaborators.Except(changed).ToHashSet(),
                }, cancellationToken);
                var what = e.IsPullRequest ? "pull request" : "issue";
                parts.Add(adding
                    ? $"added {LoginArguments.Mentions(changed)} as {(changed.Count == 1 ? "a collaborator" : "collaborators")} of this {what}"
                    : $"removed {LoginArguments.Mentions(changed)} from the collaborators of this {what}");
            }

            if (unchanged.Count > 0)
            {
                parts.Add($"{LoginArguments.Mentions(unchanged)} {(unchanged.Count == 1 ? "was" : "were")} {(adding ? "already" : "not")} {(unchanged.Count == 1 ? "a collaborator" : "collaborators")}");
            }

            if (refused.Count > 0)
            {
                parts.Add($"not added: {LoginArguments.Mentions(refused)} ({(refused.Count == 1 ? "is not a member" : "are not members")} of the repository)");
            }

            if (targets.MalformedText is { } malformed)
            {
                parts.Add(malformed);
            }

            await context.ReplyAsync($"{string.Join("; ", parts)}.", cancellationToken);
        }
    }
}
