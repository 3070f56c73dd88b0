using Forgeline.Bot.Config;
using Forgeline.Bot.Plugins;

namespace Forgeline.Bot.Commands;

/// <summary>Every plugin's commands, the one parser that reads them, and the list a repository's <c>/help</c> shows.</summary>
public sealed class CommandCatalog
{
    /// <summary>Collects the plugins' commands; throws when two plugins declare the same command.</summary>
    public CommandCatalog(IEnumerable<IBotPlugin> plugins)
    {
        var all = new List<CommandSpec>();
        foreach (var plugin in plugins)
        {
            foreach (var command in plugin.Commands)
            {
                if (all.FirstOrDefault(c => c.Name.Equals(command.Name, StringComparison.OrdinalIgnoreCase)) is { } twice)
                {
                    throw new InvalidOperationException($"plugins '{twice.Plugin}' and '{plugin.Name}' both declare /{command.Name}");
                }

                all.Add(command with { Plugin = plugin.Name });
            }
        }

        All = all;
        Parser = new CommandParser(all);
    }

    /// <summary>Every command, in plugin order.</summary>
    public IReadOnlyList<CommandSpec> All { get; }

    /// <summary>The parser for every command.</summary>
    public CommandParser Parser { get; }

    /// <summary>The commands of the plugins a repository enables.</summary>
    public IReadOnlyList<CommandSpec> For(RepoSettings settings) => [.. All.Where(c => settings.Plugins.Contains(c.Plugin))];
}
