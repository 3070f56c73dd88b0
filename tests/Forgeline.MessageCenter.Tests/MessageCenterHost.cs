using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Forgeline.Events;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgeline.MessageCenter.Tests;

/// <summary>
/// The message center as the server composes it (pooled contexts with the outbox interceptor, the dispatcher running)
/// on a fresh database of the engine asked for, with settings of the test's choosing.
/// </summary>
internal sealed class MessageCenterHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly CancellationTokenSource stopping = new();

    private readonly bool ownsDatabase;

    private MessageCenterHost(TestDatabase database, ServiceProvider provider, bool ownsDatabase)
    {
        Database = database;
        this.provider = provider;
        this.ownsDatabase = ownsDatabase;
    }

    public TestDatabase Database { get; }

    public IServiceProvider Services => provider;

    public static async Task<MessageCenterHost> StartAsync(
        DatabaseEngine engine, IDictionary<string, string?>? settings = null, bool runDispatcher = true, TestDatabase? shared = null)
    {
        var database = shared ?? await TestDatabase.CreateAsync(engine);
        var values = new Dictionary<string, string?>
        {
            ["Forgeline:Events:AllowPrivateTargets"] = "true",
            ["Forgeline:Events:FirstRetrySeconds"] = "0.2",
            ["Forgeline:Events:PollSeconds"] = "0.1",
            ["Forgeline:Events:TimeoutSeconds"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var signal = new OutboxSignal();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddDbContextPool<ForgelineDbContext>(o => o.UseForgelineDatabase(database.Settings, signal));
        services.AddForgelineEvents(configuration);
        services.AddForgelineMessageCenter(configuration, signal, runDispatcher);
        var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<ForgelineDbContext>());
        }

        var host = new MessageCenterHost(database, provider, ownsDatabase: shared is null);
        foreach (var service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(host.stopping.Token);
        }

        return host;
    }

    /// <summary>Writes one event to the outbox, as domain code does, and commits it.</summary>
    public async Task<OutboxEventRecord> PublishAsync(string type, string subject, string? owner, bool isPublic, object? data = null)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var row = EventOutbox.Add(db, type, "/forgeline/tests", subject, owner, isPublic, data ?? new { subject }, DateTime.UtcNow);
        await db.SaveChangesAsync();
        return row;
    }

    /// <summary>Subscribes <paramref name="url"/> as <paramref name="viewer"/>.</summary>
    public async Task<CreatedSubscriptionDto> SubscribeAsync(EventViewer viewer, string url, string[]? types = null, string? secret = null)
    {
        await using var scope = provider.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<SubscriptionService>()
            .CreateAsync(viewer, new CreateSubscriptionRequest(types ?? ["*"], url, secret), CancellationToken.None);
        created.IsSuccess.ShouldBeTrue(created.Message);
        return created.Value!;
    }

    /// <summary>The deliveries of a subscription, as the API lists them.</summary>
    public async Task<List<DeliveryDto>> DeliveriesAsync(EventViewer viewer, long subscriptionId)
    {
        await using var scope = provider.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<SubscriptionService>().DeliveriesAsync(viewer, subscriptionId, 1000, CancellationToken.None);
        return result.Value!;
    }

    /// <summary>Waits until the deliveries of a subscription satisfy <paramref name="condition"/>.</summary>
    public async Task<List<DeliveryDto>> WaitForDeliveriesAsync(EventViewer viewer, long subscriptionId, Func<List<DeliveryDto>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var deliveries = await DeliveriesAsync(viewer, subscriptionId);
            if (condition(deliveries))
            {
                return deliveries;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"deliveries of subscription {subscriptionId} never got there: {string.Join(", ", deliveries.Select(d => $"{d.State}/{d.Attempts}/{d.LastError}"))}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A fresh context on the database.</summary>
    public ForgelineDbContext Open() => Database.Open();

    public static EventViewer Admin { get; } = new("admin", new HashSet<string> { "admin" }, SeesAll: true);

    public static EventViewer User(string name, params string[] groups) => new(name, new HashSet<string>([name, .. groups]), SeesAll: false);

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        foreach (var service in provider.GetServices<IHostedService>().Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }

        await provider.DisposeAsync();
        if (ownsDatabase)
        {
            await Database.DisposeAsync();
        }

        stopping.Dispose();
    }
}
