using Forgeline.Bot.Forges;
using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;

namespace Forgeline.Bot.Plugins.Hold;

/// <summary><c>/hold</c>: anyone may stop a pull request from merging (label <c>do-not-merge/hold</c>) until <c>/hold cancel</c>.</summary>
public sealed class HoldPlugin(ForgeAccess<IIssueLabels> labels) : IBotPlugin
{
    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("hold", "/hold [cancel]",
            "Adds `do-not-merge/hold`, which stops the merge; `cancel` removes it. Text after `/hold` is a reason and is kept in the comment.",
            CommandAudience.Anyone),
    ];

    /// <inheritdoc />
    public string Name => "hold";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands => Specs;

    /// <inheritdoc />
    public bool Wants(BotEvent e) => false;

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        foreach (var command in context.Commands)
        {
            if (command.IsCancel)
            {
                await labels.On(context).RemoveLabelAsync(context.Event.Repo, context.Number, Labels.Hold, cancellationToken);
            }
            else
            {
                await labels.On(context).AddLabelsAsync(context.Event.Repo, context.Number, [Labels.Hold], cancellationToken);
            }
        }
    }
}
