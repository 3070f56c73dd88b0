using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;

namespace Forgeline.Bot.Plugins.Collaborators;

/// <summary>
/// <c>/add-collaborator</c> and <c>/rm-collaborator</c>: names repository members as collaborators of one pull request (or
/// issue). They are remembered in <see cref="State.PullState.Collaborators"/>; <see cref="CommandPermissions"/> counts them as
/// reviewers there, and <c>/assign</c> accepts them.
/// </summary>
public sealed class CollaboratorsPlugin : IBotPlugin
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
            var members = new List<string>();
            var refused = new List<string>();
            foreach (var login in targets.Logins)
            {
                // Removing needs no membership check: someone who left the repository must still be removable.
                (!adding || await context.Forge.IsCollaboratorAsync(e.Repo, login, cancellationToken) ? members : refused).Add(login);
            }

            var changed = adding ? members.Where(l => !before.Contains(l)).ToList() : members.Where(before.Contains).ToList();
            var unchanged = members.Except(changed).ToList();
            if (changed.Count > 0)
            {
                await context.Pulls.UpdateAsync(e.Repo, context.Number, s => s with
                {
                    Collaborators = adding ? s.Collaborators.Union(changed).ToHashSet() : s.Collaborators.Except(changed).ToHashSet(),
                }, cancellationToken);
                parts.Add($"{(adding ? "added" : "removed")} {LoginArguments.Mentions(changed)} as {(changed.Count == 1 ? "a collaborator" : "collaborators")} of this pull request");
            }

            if (unchanged.Count > 0)
            {
                parts.Add($"{LoginArguments.Mentions(unchanged)} {(unchanged.Count == 1 ? "was" : "were")} {(adding ? "already" : "not")} {(unchanged.Count == 1 ? "a collaborator" : "collaborators")}");
            }

            if (refused.Count > 0)
            {
                parts.Add($"not added: {LoginArguments.Mentions(refused)} ({(refused.Count == 1 ? "is" : "are")} not a member of the repository)");
            }

            if (targets.Malformed.Count > 0)
            {
                parts.Add($"{LoginArguments.Quoted(targets.Malformed)} {(targets.Malformed.Count == 1 ? "is" : "are")} not a user name");
            }

            await context.ReplyAsync($"{string.Join("; ", parts)}.", cancellationToken);
        }
    }
}
