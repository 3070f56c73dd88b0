using System.Text.Json;
using Forgeline.Builds.Logs;
using Forgeline.Builds.Scheduling;
using Forgeline.Core.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgeline.Builds.Queue;

/// <summary>
/// What the farm tells this process and the other server replicas when the queue or a build changes. Each call acts
/// here at once (the queue book, waiting workers, live log streams) and publishes an event; the events of other
/// replicas are applied the same way when they arrive (over RabbitMQ with <c>FORGELINE_BROKER</c>; in memory the bus
/// has nobody else to tell). Events are notifications: a replica that misses one still converges by its periodic
/// queue reads.
/// </summary>
public sealed partial class FarmEvents(IEventBus bus, QueueBook book, QueueSignal queueSignal, BuildLogStore logs, ILogger<FarmEvents> logger) : IHostedService
{
    private const string Started = "started";
    private const string Ended = "ended";
    private const string Removed = "removed";

    private IAsyncDisposable? subscription;

    /// <summary>Raised here when a build ended or left the queue, in this process or another replica (projects build their next packages then).</summary>
    public event Action? BuildFinished;

    /// <summary>A build entered the queue (submitted, or queued again).</summary>
    public Task QueuedAsync(QueuedBuild build, CancellationToken cancellationToken)
    {
        book.Queued(build);
        queueSignal.Pulse();
        return PublishAsync(new ForgelineEvent(EventKinds.BuildQueued, build.Id, Data: JsonSerializer.Serialize(build)), cancellationToken);
    }

    /// <summary>This process claimed a build: out of the queue, one more running for its owner.</summary>
    public Task StartedAsync(long id, string owner, CancellationToken cancellationToken)
    {
        book.Started(id, owner);
        return PublishAsync(new ForgelineEvent(EventKinds.BuildChanged, id, Subject: Started, Data: owner), cancellationToken);
    }

    /// <summary>A running build ended or went back to the queue: one fewer running; streams of its log look again.</summary>
    public Task EndedAsync(long id, string owner, CancellationToken cancellationToken)
    {
        book.Ended(owner);
        logs.Notify(id);
        BuildFinished?.Invoke();
        return PublishAsync(new ForgelineEvent(EventKinds.BuildChanged, id, Subject: Ended, Data: owner), cancellationToken);
    }

    /// <summary>A queued build was canceled.</summary>
    public Task RemovedAsync(long id, CancellationToken cancellationToken)
    {
        book.Removed(id);
        logs.Notify(id);
        BuildFinished?.Invoke();
        return PublishAsync(new ForgelineEvent(EventKinds.BuildChanged, id, Subject: Removed), cancellationToken);
    }

    /// <summary>Something else about a build changed (a cancel was asked for): streams of its log look again.</summary>
    public Task ChangedAsync(long id, CancellationToken cancellationToken)
    {
        logs.Notify(id);
        return PublishAsync(new ForgelineEvent(EventKinds.BuildChanged, id), cancellationToken);
    }

    /// <summary>Log bytes were appended.</summary>
    public Task LogAppendedAsync(long id, CancellationToken cancellationToken) =>
        PublishAsync(new ForgelineEvent(EventKinds.BuildLog, id), cancellationToken);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken) =>
        subscription = await bus.SubscribeAsync([EventKinds.BuildQueued, EventKinds.BuildChanged, EventKinds.BuildLog], ApplyAsync, cancellationToken);

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (subscription is not null)
        {
            await subscription.DisposeAsync();
        }
    }

    /// <summary>Applies another replica's event here.</summary>
    private ValueTask ApplyAsync(ForgelineEvent e, CancellationToken cancellationToken)
    {
        if (e.Origin == bus.InstanceId || e.BuildId is not { } id)
        {
            return ValueTask.CompletedTask; // done already when it happened here
        }

        switch (e.Kind)
        {
            case EventKinds.BuildQueued when e.Data is { } data && JsonSerializer.Deserialize<QueuedBuild>(data) is { } build:
                book.Queued(build);
                queueSignal.Pulse();
                break;
            case EventKinds.BuildChanged:
                switch (e.Subject, e.Data)
                {
                    case (Started, { } owner):
                        book.Started(id, owner);
                        break;
                    case (Ended, { } owner):
                        book.Ended(owner);
                        BuildFinished?.Invoke();
                        break;
                    case (Removed, _):
                        book.Removed(id);
                        BuildFinished?.Invoke();
                        break;
                }

                logs.Notify(id);
                break;
            case EventKinds.BuildLog:
                logs.Notify(id);
                break;
        }

        return ValueTask.CompletedTask;
    }

    private async Task PublishAsync(ForgelineEvent e, CancellationToken cancellationToken)
    {
        try
        {
            await bus.PublishAsync(e, cancellationToken);
        }
        catch (EventBusException failure)
        {
            // The state change is committed; other replicas catch up by their periodic reads.
            LogPublishFailed(e.Kind, e.BuildId, failure.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Kind} for build {BuildId}: {Error}; other replicas catch up within a second")]
    private partial void LogPublishFailed(string kind, long? buildId, string error);
}
