using Forgeline.Bot.Forges;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;

namespace Forgeline.Bot.Plugins.Label;

/// <summary>
/// <c>/label</c> and <c>/remove-label</c>: repository members add and remove free labels. Labels another plugin owns (see
/// <see cref="ManagedLabels"/>) are refused with the command to use; the others in the same command still apply.
/// </summary>
public sealed class LabelPlugin(ForgeAccess<IIssueLabels> labels) : IBotPlugin
{
    /// <summary>The longest label name accepted (GitHub allows 50 characters).</summary>
    public const int MaxLength = 50;

    /// <summary>The most labels one command may name.</summary>
    public const int MaxLabels = 10;

    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("label", "/label name …", $"Adds labels (at most {MaxLabels}; names without spaces or commas, up to {MaxLength} characters). Labels the bot manages are refused.",
            CommandAudience.Members, Arguments: CommandArguments.Required),
        new("remove-label", "/remove-label name …", "Removes labels. Labels the bot manages are refused.", CommandAudience.Members, Arguments: CommandArguments.Required),
    ];

    /// <inheritdoc />
    public string Name => "label";

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
            var names = command.Arguments.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (names.Count == 0)
            {
                await context.ReplyAsync($"name the labels: `{command.Spec.Usage}`; nothing was done.", cancellationToken);
                continue;
            }

            if (names.Count > MaxLabels)
            {
                await context.ReplyAsync($"`/{command.Spec.Name}` takes at most {MaxLabels} labels at once; nothing was done.", cancellationToken);
                continue;
            }

            var accepted = new List<string>();
            var problems = new List<string>();
            foreach (var name in names)
            {
                if (Invalid(name) is { } why)
                {
                    problems.Add($"{LoginArguments.Quoted([Shown(name)])} {why}");
                }
                else if (ManagedLabels.HowToChange(name, context.Settings) is { } how)
                {
                    problems.Add($"`{name}` is managed by the bot: {how}");
                }
                else
                {
                    accepted.Add(name);
                }
            }

            if (command.Spec.Name == "label")
            {
                if (accepted.Count > 0)
                {
                    await labels.On(context).AddLabelsAsync(e.Repo, context.Number, accepted, cancellationToken);
                }
            }
            else
            {
                foreach (var name in accepted)
                {
                    await labels.On(context).RemoveLabelAsync(e.Repo, context.Number, name, cancellationToken);
                }
            }

            if (problems.Count > 0)
            {
                var verb = command.Spec.Name == "label" ? "added" : "removed";
                var rest = accepted.Count == 0 ? $"No label was {verb}." : $"{string.Join(", ", accepted.Select(a => $"`{a}`"))} {(accepted.Count == 1 ? "was" : "were")} {verb}.";
                await context.ReplyAsync($"{string.Join("; ", problems)}. {rest}", cancellationToken);
            }
        }
    }

    /// <summary>A refused name as it may be echoed back: control characters made visible, and cut short.</summary>
    private static string Shown(string name)
    {
        var visible = new string([.. name.Select(c => char.IsControl(c) ? '\uFFFD' : c)]);
        return visible.Length > MaxLength + 10 ? $"{visible[..MaxLength]}…" : visible;
    }

    /// <summary>Why <paramref name="name"/> cannot be a label, or null when it can.</summary>
    private static string? Invalid(string name) =>
        name.Length > MaxLength ? $"is longer than {MaxLength} characters"
        : name.Any(char.IsControl) ? "contains control characters"
        // GitLab takes labels as a comma-separated list: a comma would split one label into two.
        : name.Contains(',', StringComparison.Ordinal) ? "contains a comma"
        : null;
}
