using Forgeline.Accounts;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Jobs;
using Forgeline.Bot.Plugins;
using Forgeline.Bot.Tests.Plugins;
using Forgeline.Builds;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Events;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Bot.Tests.Jobs;

/// <summary>
/// A <see cref="PluginHarness"/> whose plugins run with the host's real services as the server wires them: the bot's jobs
/// (<see cref="BotJobsServiceCollectionExtensions.AddBotJobs"/>) and the build farm (real <see cref="BuildService"/>, in-memory
/// event bus), on the harness's SQLite database, clock and in-memory forge. No worker runs: tests end builds in the database.
/// </summary>
public sealed class JobsHost : IAsyncDisposable
{
    /// <summary>Forgeline's public URL in these tests.</summary>
    public const string PublicUrl = "https://forgeline.example";

    private readonly TempDirectory home = new("forgeline-bot-jobs");
    private ServiceProvider? services;
    private AsyncServiceScope deliveryScope;

    private JobsHost()
    {
    }

    /// <summary>The plugin harness (forge, configuration, dispatcher).</summary>
    public PluginHarness Harness { get; private set; } = null!;

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => services!;

    /// <summary>A host whose repository enables <paramref name="plugins"/>; <paramref name="runReporter"/> registers the hosted farm job reporter (not started).</summary>
    public static async Task<JobsHost> CreateAsync(IReadOnlyList<IBotPlugin> plugins, bool runReporter = false)
    {
        var host = new JobsHost();
        host.Harness = await PluginHarness.CreateAsync(plugins, harness => host.Build(harness, runReporter));
        host.Harness.Config.PublicUrl = PublicUrl;
        return host;
    }

    /// <summary>Runs <paramref name="action"/> in a fresh scope, as one request or one pass would.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = services!.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>One pass of the farm job reporter.</summary>
    public Task<int> ReportFarmJobsAsync() => InScopeAsync(sp => sp.GetRequiredService<FarmJobPass>().RunAsync(CancellationToken.None));

    /// <summary>A report of a URL job, as the endpoint makes it.</summary>
    public Task<ServiceResult<JobRunView>> ReportAsync(long runId, string? token, string? state, string? description = null, string? url = null) =>
        InScopeAsync(sp => sp.GetRequiredService<JobReports>().ReportAsync(runId, token, state, description, url, CancellationToken.None));

    /// <summary>Every job run, oldest first.</summary>
    public Task<List<BotJobRunRecord>> RunsAsync() =>
        InScopeAsync(sp => sp.GetRequiredService<ForgelineDbContext>().BotJobRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync());

    /// <summary>A build as stored.</summary>
    public Task<BuildRecord> BuildAsync(long id) =>
        InScopeAsync(sp => sp.GetRequiredService<ForgelineDbContext>().Builds.AsNoTracking().SingleAsync(b => b.Id == id));

    /// <summary>Ends a build the way a worker's report would leave its row.</summary>
    public Task EndBuildAsync(long id, BuildState state, string? reason = null) => InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<ForgelineDbContext>();
        var build = await db.Builds.SingleAsync(b => b.Id == id);
        build.State = state;
        build.Reason = reason;
        build.FinishedAt = Harness.Time.GetUtcNow().UtcDateTime;
        return await db.SaveChangesAsync();
    });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await deliveryScope.DisposeAsync();
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        await Harness.DisposeAsync();
        home.Dispose();
    }

    /// <summary>Registers the host's services as <see cref="CreateAsync"/> wires them (for another host on the same database and forge, like a web server).</summary>
    public void Register(IServiceCollection collection, bool runReporter = false)
    {
        var configuration = new ConfigurationBuilder().Build();
        var paths = new ForgelinePaths(home["data"]);
        Directory.CreateDirectory(paths.Root);
        collection.AddLogging();
        collection.AddSingleton<TimeProvider>(Harness.Time);
        collection.AddDbContext<ForgelineDbContext>(o => o.UseForgelineDatabase(Harness.Database.Settings));
        collection.AddForgelineEvents(configuration);
        collection.AddForgelineBuilds(configuration, paths, runScheduler: false);
        // Queue weights name users and groups: the build farm asks accounts who is who.
        collection.AddForgelineAccounts(configuration);
        collection.AddSingleton(Harness.Config);
        collection.AddSingleton<IForgeClients>(new OneForge(Harness.Forge));
        collection.AddBotJobs(runReporter);
    }

    private IServiceProvider Build(PluginHarness harness, bool runReporter)
    {
        Harness = harness;
        var collection = new ServiceCollection();
        Register(collection, runReporter);
        services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        // Deliveries get a scope of their own, as the bot's delivery processor gives each delivery.
        deliveryScope = services.CreateAsyncScope();
        return deliveryScope.ServiceProvider;
    }

    private sealed class OneForge(MemoryForge forge) : IForgeClients
    {
        public IForgeClient? For(Forge kind) => kind == forge.Forge ? forge : null;
    }
}
