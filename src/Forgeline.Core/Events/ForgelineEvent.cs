namespace Forgeline.Core.Events;

/// <summary>
/// Something that happened, told to every server target that subscribed to its <paramref name="Kind"/>: a notification,
/// not a command. Events that must not be lost go through a work queue (<see cref="IEventBus.EnqueueAsync"/>) instead.
/// </summary>
/// <param name="Kind">What happened, one of <see cref="EventKinds"/> or another lower-case dotted name (letters, digits, '.', '-', '_').</param>
/// <param name="BuildId">The build it is about, if any.</param>
/// <param name="Subject">A short name of what it is about beyond the build (a worker name, a package), if any.</param>
/// <param name="Data">Kind-specific payload (a log chunk, a JSON document), if any.</param>
public sealed record ForgelineEvent(string Kind, long? BuildId = null, string? Subject = null, string? Data = null)
{
    /// <summary>The <see cref="IEventBus.InstanceId"/> of the bus that published it; set by the bus on publish.</summary>
    public string Origin { get; init; } = "";

    /// <summary>When it was published; set by the bus on publish unless the publisher set it.</summary>
    public DateTimeOffset At { get; init; }
}
