using Forgeline.Accounts;
using Forgeline.Builds;
using Forgeline.Builds.Artifacts;
using Forgeline.Builds.Logs;
using Forgeline.Builds.Queue;
using Forgeline.Core;
using Forgeline.Data;
using Forgeline.Events;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Builds.Tests;

/// <summary>The build farm's services wired as in the server, on a fresh database (SQLite or PostgreSQL) and a fake clock.</summary>
public sealed class BuildsHarness : IAsyncDisposable
{
    private readonly TempDirectory home;
    private readonly ServiceProvider services;
    private readonly bool ownsDatabase;
    private List<Microsoft.Extensions.Hosting.IHostedService> started = [];

    private BuildsHarness(TestDatabase database, Dictionary<string, string?> settings, TempDirectory? sharedHome = null, Action<IServiceCollection>? configure = null)
    {
        Database = database;
        ownsDatabase = sharedHome is null;
        home = sharedHome ?? new TempDirectory("forgeline-builds");
        Paths = new ForgelinePaths(home["data"]);
        Directory.CreateDirectory(Paths.Root);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddDbContext<ForgelineDbContext>(o => o.UseForgelineDatabase(database.Settings));
        collection.AddForgelineEvents(configuration);
        collection.AddForgelineBuilds(configuration, Paths);
        // Queue weights name users and groups: the build farm asks accounts who is who.
        collection.AddForgelineAccounts(configuration);
        configure?.Invoke(collection);
        services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    /// <summary>The fake clock every service reads.</summary>
    public FakeTimeProvider Time { get; } = new();

    /// <summary>The database, of its own for this harness.</summary>
    public TestDatabase Database { get; }

    /// <summary>The data directory (artifacts and logs; the database is apart, as with PostgreSQL).</summary>
    public ForgelinePaths Paths { get; }

    /// <summary>Scratch space for test inputs.</summary>
    public TempDirectory Home => home;

    /// <summary>The artifact store.</summary>
    public ArtifactStore Store => services.GetRequiredService<ArtifactStore>();

    /// <summary>The log store.</summary>
    public BuildLogStore Logs => services.GetRequiredService<BuildLogStore>();

    /// <summary>This process's queue book.</summary>
    public Scheduling.QueueBook Book => services.GetRequiredService<Scheduling.QueueBook>();

    /// <summary>The lease reaper.</summary>
    public LeaseReaper Reaper => services.GetRequiredService<LeaseReaper>();

    /// <summary>A harness with a migrated database on <paramref name="engine"/>; settings as in Forgeline:Builds:*; <paramref name="configure"/> adds or replaces services.</summary>
    public static async Task<BuildsHarness> CreateAsync(DatabaseEngine engine, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var harness = new BuildsHarness(await TestDatabase.CreateAsync(engine), settings ?? [], configure: configure);
        await using var scope = harness.services.CreateAsyncScope();
        await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<ForgelineDbContext>());
        return harness;
    }

    /// <summary>Another server replica: its own services (queue book, event bus) on the same database and data directory.</summary>
    public Task<BuildsHarness> ReplicaAsync(Dictionary<string, string?> settings) => Task.FromResult(new BuildsHarness(Database, settings, home));

    /// <summary>Starts the hosted services (the event subscriptions, the broker connection, the reaper), as the server does.</summary>
    public async Task StartHostedAsync()
    {
        started = services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().ToList();
        foreach (var service in started)
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>Runs <paramref name="action"/> with services from a fresh scope, as one HTTP request would.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>Runs a build service call in a fresh scope.</summary>
    public Task<T> Builds<T>(Func<BuildService, Task<T>> action) => InScopeAsync(sp => action(sp.GetRequiredService<BuildService>()));

    /// <summary>Runs a job service call in a fresh scope.</summary>
    public Task<T> Jobs<T>(Func<JobService, Task<T>> action) => InScopeAsync(sp => action(sp.GetRequiredService<JobService>()));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(started))
        {
            await service.StopAsync(CancellationToken.None);
        }

        await services.DisposeAsync();
        if (ownsDatabase)
        {
            await Database.DisposeAsync();
            home.Dispose();
        }
    }
}
