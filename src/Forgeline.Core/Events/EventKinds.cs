namespace Forgeline.Core.Events;

/// <summary>The kinds of <see cref="ForgelineEvent"/> the server targets publish. Kinds double as RabbitMQ routing keys.</summary>
public static class EventKinds
{
    /// <summary>A build entered the queue.</summary>
    public const string BuildQueued = "build.queued";

    /// <summary>A build changed state (leased, succeeded, failed, cancelled).</summary>
    public const string BuildChanged = "build.changed";

    /// <summary>A build's log grew; <see cref="ForgelineEvent.Data"/> holds the new text.</summary>
    public const string BuildLog = "build.log";

    /// <summary>A worker came, went or changed its slots.</summary>
    public const string WorkerChanged = "worker.changed";

    /// <summary>An API token was revoked or replaced (<see cref="ForgelineEvent.Subject"/> names it): replicas forget the tokens they cached.</summary>
    public const string TokenRevoked = "token.revoked";
}
