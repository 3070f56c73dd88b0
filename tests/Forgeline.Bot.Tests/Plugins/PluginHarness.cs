using Forgeline.Bot.Commands;
using Forgeline.Bot.Config;
using Forgeline.Bot.Dispatch;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Owners;
using Forgeline.Bot.Plugins;
using Forgeline.Bot.State;
using Forgeline.Data;
using Forgeline.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forgeline.Bot.Tests.Plugins;

/// <summary>
/// Runs plugins the way the bot does (the real <see cref="EventDispatcher"/>: parsing, permission checks and refusals,
/// isolation) on a <see cref="MemoryForge"/> and a real SQLite database for the bot's state.
/// </summary>
public sealed class PluginHarness : IAsyncDisposable
{
    private readonly TestDatabase database;
    private readonly ForgelineDbContext db;
    private int deliveries;

    private PluginHarness(TestDatabase database, ForgelineDbContext db, IReadOnlyList<IBotPlugin> plugins, BotConfig config, MemoryForge forge, IServiceProvider? provider)
    {
        this.database = database;
        this.db = db;
        Forge = forge;
        Config = config;
        Pulls = new BotPullStore(db, Time);
        var catalog = new CommandCatalog(plugins);
        Dispatcher = new EventDispatcher(plugins, catalog, new BotMetrics(), NullLogger<EventDispatcher>.Instance);
        Services = new BotServices(new CommandPermissions(), new OwnersReader(Time), catalog, Time, new PlainHttpClientFactory(), provider ?? new ServiceCollection().BuildServiceProvider());
    }

    /// <summary>The repository every event is about.</summary>
    public static RepoRef Repo { get; } = new(Forgeline.Bot.Forges.Forge.GitHub, "openeuler", "hello");

    /// <summary>The forge.</summary>
    public MemoryForge Forge { get; }

    /// <summary>The configuration (edit <see cref="BotConfig.Repos"/> before sending).</summary>
    public BotConfig Config { get; }

    /// <summary>The bot's pull request state, in the real database.</summary>
    public IBotPullStore Pulls { get; }

    /// <summary>Fake time.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-11-22T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The dispatcher under test.</summary>
    public EventDispatcher Dispatcher { get; }

    /// <summary>The shared services plugins get.</summary>
    public BotServices Services { get; private set; }

    /// <summary>The database the bot's state is in (for host services that share it: jobs, the build farm).</summary>
    public TestDatabase Database => database;

    /// <summary>A harness whose repository enables <paramref name="plugins"/> (all of them when <paramref name="enabled"/> is null).</summary>
    public static async Task<PluginHarness> CreateAsync(IReadOnlyList<IBotPlugin> plugins, IEnumerable<string>? enabled = null, IServiceProvider? provider = null)
    {
        var database = await TestDatabase.CreateAsync(DatabaseEngine.Sqlite);
        var db = database.Open();
        await DatabaseMigrator.MigrateAsync(db);
        var config = new BotConfig { TrustedOrg = "openeuler", Community = "openeuler" };
        config.Repos["openeuler"] = new RepoConfig { Plugins = [.. enabled ?? plugins.Select(p => p.Name)] };
        return new PluginHarness(database, db, plugins, config, new MemoryForge(), provider);
    }

    /// <summary>
    /// A harness whose plugins get <paramref name="provider"/>(harness) as the host's services (<see cref="BotServices.Provider"/>):
    /// the job launcher, the build farm, on the harness's own <see cref="Database"/>, clock and forge.
    /// </summary>
    public static async Task<PluginHarness> CreateAsync(IReadOnlyList<IBotPlugin> plugins, Func<PluginHarness, IServiceProvider> provider, IEnumerable<string>? enabled = null)
    {
        var harness = await CreateAsync(plugins, enabled);
        harness.Services = harness.Services with { Provider = provider(harness) };
        return harness;
    }

    /// <summary>The settings of the repository every event is about (the <c>openeuler</c> entry), to add jobs or merge rules.</summary>
    public RepoConfig RepoConfig => Config.Repos["openeuler"];

    /// <summary>Sends a comment by <paramref name="sender"/> on issue or pull request <paramref name="number"/> (which must exist in <see cref="Forge"/>).</summary>
    public Task<IReadOnlyList<PluginOutcome>> CommentAsync(int number, string sender, string body, string action = "created", string? previousBody = null) =>
        SendAsync(EventFor(number, BotEventKind.Comment, action, sender) with { Comment = new CommentInfo($"c{deliveries}", body, previousBody) });

    /// <summary>An event about issue or pull request <paramref name="number"/> with what <see cref="Forge"/> knows of it.</summary>
    public BotEvent EventFor(int number, BotEventKind kind, string action, string sender)
    {
        var issue = Forge.Issues[number];
        return new BotEvent
        {
            DeliveryId = $"d{Interlocked.Increment(ref deliveries)}",
            Kind = kind,
            Action = action,
            Repo = Repo,
            Sender = sender,
            Number = number,
            IsPullRequest = issue.IsPullRequest,
            Author = issue.Author,
            Title = issue.Title,
            Body = issue.Body,
            Labels = issue.Labels,
            HasMilestone = issue.HasMilestone,
            HeadSha = issue.HeadSha,
            Ref = issue.BaseRef,
            CloneUrl = "https://github.com/openeuler/hello.git",
        };
    }

    /// <summary>Dispatches any event.</summary>
    public Task<IReadOnlyList<PluginOutcome>> SendAsync(BotEvent e) =>
        Dispatcher.DispatchAsync(e, Config.For(e.Repo), Forge, Pulls, Services, new HashSet<string>(), CancellationToken.None);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await db.DisposeAsync();
        await database.DisposeAsync();
    }

    private sealed class PlainHttpClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
