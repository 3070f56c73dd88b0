using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;

namespace Forgeline.Bot.Plugins.Help;

/// <summary><c>/help</c>: one comment listing the commands of the plugins this repository enables, from their declarations.</summary>
public sealed class HelpPlugin : IBotPlugin
{
    /// <summary>The commands, as data.</summary>
    public static readonly IReadOnlyList<CommandSpec> Specs =
    [
        new("help", "/help", "Lists the commands this repository's bot understands.", CommandAudience.Anyone, Arguments: CommandArguments.None),
    ];

    /// <inheritdoc />
    public string Name => "help";

    /// <inheritdoc />
    public IReadOnlyList<CommandSpec> Commands => Specs;

    /// <inheritdoc />
    public bool Wants(BotEvent e) => false;

    /// <inheritdoc />
    public async Task HandleAsync(PluginContext context, CancellationToken cancellationToken)
    {
        if (context.Commands.Count == 0)
        {
            return;
        }

        // One answer even for "/help" twice in a comment: the table is long.
        var commands = context.Services.Catalog.For(context.Settings);
        await context.ReplyAsync($"the commands of this repository (type them on a line of their own in a comment):\n\n{CommandTable.Markdown(commands)}", cancellationToken);
    }
}
