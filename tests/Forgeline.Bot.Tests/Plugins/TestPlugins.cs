using Forgeline.Bot.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Bot.Tests.Plugins;

/// <summary>Makes plugins as the bot's container does: each gets the <see cref="ForgeAccess{T}"/> its constructor asks for.</summary>
public static class TestPlugins
{
    private static readonly IServiceProvider Container = new ServiceCollection().AddSingleton(typeof(ForgeAccess<>)).BuildServiceProvider();

    /// <summary>Every plugin, in the order they run.</summary>
    public static IReadOnlyList<IBotPlugin> All() => [.. BotPlugins.All.Select(t => (IBotPlugin)ActivatorUtilities.CreateInstance(Container, t))];

    /// <summary>A new <typeparamref name="T"/>.</summary>
    public static T Create<T>()
        where T : IBotPlugin => ActivatorUtilities.CreateInstance<T>(Container);
}
