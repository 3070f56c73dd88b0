using Forgeline.Bot.Commands;
using Forgeline.Bot.Events;

namespace Forgeline.Bot.Plugins;

/// <summary>
/// A bot plugin (one folder under <c>Plugins/</c>): the commands it declares and what it does with events. The dispatcher
/// runs it isolated (own log scope, timeout, error capture, metrics) and only for repositories that enable it.
/// </summary>
public interface IBotPlugin
{
    /// <summary>Its name in the configuration (<c>lgtm</c>, <c>approve</c> …).</summary>
    string Name { get; }

    /// <summary>The commands it handles, declared as data.</summary>
    IReadOnlyList<CommandSpec> Commands { get; }

    /// <summary>Whether it wants <paramref name="e"/> even when no command of its own is in it (a push, a label change).</summary>
    bool Wants(BotEvent e);

    /// <summary>
    /// Handles an event. <see cref="PluginContext.Commands"/> holds only its own commands the sender may use; the dispatcher
    /// has already answered the ones the sender may not.
    /// </summary>
    Task HandleAsync(PluginContext context, CancellationToken cancellationToken);
}
