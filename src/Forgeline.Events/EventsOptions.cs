using System.ComponentModel.DataAnnotations;

namespace Forgeline.Events;

/// <summary>
/// Tuning of the event bus, bound from <c>Forgeline:Events</c> (env <c>Forgeline__Events__*</c>). The broker itself is chosen
/// by <c>FORGELINE_BROKER</c>, see <see cref="BrokerSettings"/>.
/// </summary>
public sealed class EventsOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Forgeline:Events";

    /// <summary>Seconds to wait for the broker at start-up before giving up with an error.</summary>
    [Range(0.1, 300)]
    public double ConnectTimeoutSeconds { get; set; } = 15;

    /// <summary>Seconds between attempts to reconnect after the broker connection was lost.</summary>
    [Range(0.05, 300)]
    public double ReconnectIntervalSeconds { get; set; } = 5;

    /// <summary>Seconds a publish or enqueue waits for a lost broker connection to come back before it fails.</summary>
    [Range(0, 600)]
    public double PublishWaitSeconds { get; set; } = 30;

    /// <summary>Seconds before a work-queue message whose handler threw is handed back, so a message that always fails cannot spin.</summary>
    [Range(0, 600)]
    public double RetryDelaySeconds { get; set; } = 1;

    /// <summary>Seconds a stopping consumer waits for its running handlers before it hands their messages back anyway.</summary>
    [Range(0, 600)]
    public double StopTimeoutSeconds { get; set; } = 10;

    /// <summary>Events held for one slow subscriber; beyond this its oldest events are dropped (and logged) so no one else waits.</summary>
    [Range(16, 10_000_000)]
    public int SubscriberBufferSize { get; set; } = 10_000;
}
