namespace Forgeline.Bot.Plugins;

/// <summary>Every plugin, in the order they run on an event (merge automation last, so it sees what the others changed).</summary>
public static class BotPlugins
{
    /// <summary>The plugin types.</summary>
    public static IReadOnlyList<Type> All { get; } = [];
}
