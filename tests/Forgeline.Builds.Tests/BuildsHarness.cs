using Forgeline.Builds;
using Forgeline.Builds.Artifacts;
using Forgeline.Builds.Logs;
using Forgeline.Builds.Queue;
using Forgeline.Core;
using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Builds.Tests;

/// <summary>The build farm's services wired as in the server, on a fresh SQLite database and a fake clock.</summary>
public sealed class BuildsHarness : IAsyncDisposable
{
    private readonly TempDirectory home = new("forgeline-builds");
    private readonly ServiceProvider services;

    private BuildsHarness(Dictionary<string, string?> settings)
    {
        Paths = new ForgelinePaths(home["data"]);
        Directory.CreateDirectory(Paths.Root);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddDbContext<ForgelineDbContext>(o => o.UseForgelineSqlite(Paths.Database));
        collection.AddForgelineBuilds(configuration, Paths);
        services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    /// <summary>The fake clock every service reads.</summary>
    public FakeTimeProvider Time { get; } = new();

    /// <summary>The data directory.</summary>
    public ForgelinePaths Paths { get; }

    /// <summary>Scratch space for test inputs.</summary>
    public TempDirectory Home => home;

    /// <summary>The artifact store.</summary>
    public ArtifactStore Store => services.GetRequiredService<ArtifactStore>();

    /// <summary>The log store.</summary>
    public BuildLogStore Logs => services.GetRequiredService<BuildLogStore>();

    /// <summary>The lease reaper.</summary>
    public LeaseReaper Reaper => services.GetRequiredService<LeaseReaper>();

    /// <summary>A harness with migrated database; settings as in Forgeline:Builds:*.</summary>
    public static async Task<BuildsHarness> CreateAsync(Dictionary<string, string?>? settings = null)
    {
        var harness = new BuildsHarness(settings ?? []);
        await using var scope = harness.services.CreateAsyncScope();
        await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<ForgelineDbContext>());
        return harness;
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
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        home.Dispose();
    }
}
