using System.Collections.Concurrent;
using Forgeline.Core.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Forgeline.Events.RabbitMq;

/// <summary>
/// The event bus over RabbitMQ (<c>FORGELINE_BROKER</c>), for server targets and replicas in several processes. Broadcast goes
/// through the durable topic exchange <c>forgeline.events</c> (routing key = kind) to one exclusive queue per process; work
/// queues are durable queues of persistent messages, published with confirms and consumed with manual acknowledgement. The
/// connection recovers by itself (queues, bindings and consumers included) after the broker or the network comes back.
/// </summary>
public sealed partial class RabbitMqEventBus : IEventBus, IEventBusHealth, IAsyncDisposable
{
    /// <summary>The exchange every broadcast event goes through.</summary>
    public const string ExchangeName = "forgeline.events";

    private readonly BrokerSettings broker;
    private readonly EventsOptions options;
    private readonly ILogger<RabbitMqEventBus> logger;
    private readonly TimeProvider timeProvider;
    private readonly LocalSubscribers subscribers;
    private readonly SemaphoreSlim connectGate = new(1, 1);
    private readonly SemaphoreSlim broadcastGate = new(1, 1);
    private readonly SemaphoreSlim publisherGate = new(1, 1);
    private readonly ConcurrentDictionary<string, byte> declaredQueues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RabbitMqQueueConsumer, byte> consumers = new();
    private readonly Lock healthGate = new();
    private TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string state = "not connected yet";
    private IConnection? connection;
    private IChannel? publisher;
    private BroadcastQueue? broadcast;
    private long consumerCount;
    private int disposed;

    /// <summary>Creates the bus; it connects on <see cref="StartAsync"/> or on first use.</summary>
    public RabbitMqEventBus(BrokerSettings broker, IOptions<EventsOptions> options, ILogger<RabbitMqEventBus> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(options);
        if (broker.IsInProcess)
        {
            throw new ArgumentException("no broker is set: use InProcessEventBus", nameof(broker));
        }

        this.broker = broker;
        this.options = options.Value;
        this.logger = logger;
        this.timeProvider = timeProvider;
        subscribers = new LocalSubscribers(this.options.SubscriberBufferSize, TimeSpan.FromSeconds(this.options.StopTimeoutSeconds), logger);
    }

    /// <inheritdoc />
    public string InstanceId { get; } = EventBusArguments.NewInstanceId();

    /// <inheritdoc />
    public bool IsHealthy => connected.Task.IsCompleted && Volatile.Read(ref disposed) == 0;

    /// <inheritdoc />
    public string Status
    {
        get
        {
            lock (healthGate)
            {
                return $"rabbitmq {broker}: {state}";
            }
        }
    }

    /// <inheritdoc />
    public event EventHandler? HealthChanged;

    /// <summary>
    /// Connects and declares the exchange, so a wrong or unreachable broker stops start-up.
    /// </summary>
    /// <exception cref="EventBusException">The broker is unreachable or refused the login or vhost; the message names the host, never the password.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default) => await ConnectAsync(cancellationToken);

    /// <summary>Stops consumers (handing back what they hold) and subscriptions, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(consumers.Keys.Select(c => c.DisposeAsync().AsTask()));
        await subscribers.DisposeAllAsync();
        if (broadcast is not null)
        {
            await broadcast.DisposeAsync();
        }

        if (connection is not null)
        {
            try
            {
                // Bounded: the client waits for running handlers, and one that ignores its token must not hold up shutdown.
                await connection.CloseAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(options.StopTimeoutSeconds + 5), timeProvider);
                await connection.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(options.StopTimeoutSeconds), timeProvider);
            }
            catch (Exception ex) when (BrokerErrors.IsConnectivity(ex))
            {
                LogCloseIncomplete(broker.ToString(), BrokerErrors.Describe(ex));
            }
        }

        SetHealth(false, "stopped");
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref connection) is { } existing)
        {
            return existing;
        }

        await connectGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
            if (connection is not null)
            {
                return connection;
            }

            var timeout = TimeSpan.FromSeconds(options.ConnectTimeoutSeconds);
            var factory = new ConnectionFactory
            {
                HostName = broker.Host,
                Port = broker.Port,
                VirtualHost = broker.VirtualHost,
                UserName = broker.UserName,
                Password = broker.Password,
                Ssl = new SslOption { Enabled = broker.UseTls, ServerName = broker.Host },
                AutomaticRecoveryEnabled = true,
                TopologyRecoveryEnabled = true,
                NetworkRecoveryInterval = TimeSpan.FromSeconds(options.ReconnectIntervalSeconds),
                RequestedConnectionTimeout = timeout,
                ClientProvidedName = $"forgeline {InstanceId}",
            };

            IConnection opened;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                deadline.CancelAfter(timeout);
                try
                {
                    opened = await factory.CreateConnectionAsync(deadline.Token);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw BrokerErrors.ConnectFailed(broker, ex, timeout);
                }
            }

            try
            {
                await using (var setup = await opened.CreateChannelAsync(cancellationToken: cancellationToken))
                {
                    await setup.ExchangeDeclareAsync(ExchangeName, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
                }

                publisher = await CreatePublisherAsync(opened, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                await opened.DisposeAsync();
                throw BrokerErrors.SetupFailed(broker, ex, timeout);
            }

            opened.ConnectionShutdownAsync += OnConnectionLostAsync;
            opened.RecoverySucceededAsync += OnRecoveredAsync;
            opened.ConnectionRecoveryErrorAsync += OnRecoveryErrorAsync;
            Volatile.Write(ref connection, opened);
            LogConnected(broker.ToString(), InstanceId);
            SetHealth(true, "connected");
            return opened;
        }
        finally
        {
            connectGate.Release();
        }
    }

    private static Task<IChannel> CreatePublisherAsync(IConnection connection, CancellationToken cancellationToken) =>
        connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);

    private Task OnConnectionLostAsync(object sender, ShutdownEventArgs reason)
    {
        if (Volatile.Read(ref disposed) == 0)
        {
            LogConnectionLost(broker.ToString(), reason.ReplyCode, reason.ReplyText, options.ReconnectIntervalSeconds);
            SetHealth(false, $"connection lost ({reason.ReplyCode} {reason.ReplyText}); reconnecting every {options.ReconnectIntervalSeconds:0.##}s");
        }

        return Task.CompletedTask;
    }

    private Task OnRecoveredAsync(object sender, AsyncEventArgs args)
    {
        LogReconnected(broker.ToString());
        SetHealth(true, "connected");
        return Task.CompletedTask;
    }

    private Task OnRecoveryErrorAsync(object sender, ConnectionRecoveryErrorEventArgs args)
    {
        LogReconnectFailed(broker.ToString(), BrokerErrors.Describe(args.Exception));
        return Task.CompletedTask;
    }

    private void SetHealth(bool healthy, string newState)
    {
        bool changed;
        lock (healthGate)
        {
            state = newState;
            changed = healthy != connected.Task.IsCompleted;
            if (healthy)
            {
                connected.TrySetResult();
            }
            else if (connected.Task.IsCompleted)
            {
                connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (changed)
        {
            HealthChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>Completes when the connection is open, or throws after <paramref name="timeout"/>.</summary>
    private async Task WaitConnectedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task signal;
        lock (healthGate)
        {
            signal = connected.Task;
        }

        await signal.WaitAsync(timeout, timeProvider, cancellationToken);
    }
}
