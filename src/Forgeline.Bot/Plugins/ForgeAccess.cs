using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Plugins;

/// <summary>
/// One narrow part of the forge's API (<typeparamref name="T"/>: <see cref="IIssueLabels"/>, <see cref="IPullMerger"/> …) on
/// the forge of the event a plugin handles. A plugin takes one per part in its constructor, so the constructor says what
/// the plugin can do on a forge; the wide <see cref="IForgeClient"/> is for the plumbing (dispatcher, permissions, OWNERS).
/// </summary>
/// <typeparam name="T">One of the narrow interfaces <see cref="IForgeClient"/> is made of.</typeparam>
public sealed class ForgeAccess<T>
    where T : class
{
    /// <summary>The narrow interfaces a plugin may ask for: those <see cref="IForgeClient"/> is made of, not itself.</summary>
    public static IReadOnlySet<Type> Parts { get; } = typeof(IForgeClient).GetInterfaces().ToHashSet();

    /// <summary>Access to <typeparamref name="T"/>; throws when it is not one of the narrow <see cref="Parts"/>.</summary>
    public ForgeAccess()
    {
        if (!Parts.Contains(typeof(T)))
        {
            throw new InvalidOperationException(
                $"{typeof(T).Name} is not a narrow forge interface; a plugin asks for one of {string.Join(", ", Parts.Select(p => p.Name).Order(StringComparer.Ordinal))}.");
        }
    }

    /// <summary>The forge of <paramref name="context"/>'s event, as <typeparamref name="T"/>.</summary>
    public T On(PluginContext context) => context.Part<T>();
}
