using System.Text;
using System.Text.Json.Nodes;
using Forgeline.Bot.Deliveries;
using Forgeline.Bot.Forges;
using Forgeline.Core;
using Forgeline.Core.Events;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Events;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Bot.Tests.Deliveries;

/// <summary>
/// The bot's delivery services wired as in the server (<c>AddForgelineBot</c>, the in-process event bus) on a fresh
/// database (SQLite or PostgreSQL) and a fake clock, talking to the fake forge: the writer runs, the processor is driven
/// by the test (its background loop is not started).
/// </summary>
public sealed class DeliveryHarness : IAsyncDisposable
{
    /// <summary>The repository of the recorded GitHub payloads.</summary>
    public const string Repository = "Codertocat/Hello-World";

    private readonly TestDatabase database;
    private readonly TempDirectory home;
    private readonly ServiceProvider services;

    private readonly FakeTimeProvider clock;

    private DeliveryHarness(TestDatabase database, TempDirectory home, FakeForge forge, FakeTimeProvider clock, ServiceProvider services)
    {
        this.database = database;
        this.home = home;
        this.clock = clock;
        this.services = services;
        Forge = forge;
    }

    /// <summary>The forge the bot acts on.</summary>
    public FakeForge Forge { get; }

    /// <summary>The processor under test.</summary>
    public DeliveryProcessor Processor => services.GetRequiredService<DeliveryProcessor>();

    /// <summary>The settings in force.</summary>
    public BotOptions Options => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BotOptions>>().Value;

    /// <summary>A harness on <paramref name="engine"/> whose bot enables hold and label on <see cref="Repository"/>, where pull request 2 is open.</summary>
    public static async Task<DeliveryHarness> StartAsync(DatabaseEngine engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        await using (var db = database.Open())
        {
            await DatabaseMigrator.MigrateAsync(db);
        }

        var home = new TempDirectory("forgeline-bot-deliveries");
        var forge = await FakeForge.StartAsync();
        forge.State.AddCollaborator(Forgeline.Bot.Forges.Forge.GitHub, Repository, "bob");
        forge.State.AddIssue(Forgeline.Bot.Forges.Forge.GitHub, Repository, new FakeIssue(2, true, "carol", "Fix the greeting") { HeadSha = "1111111", BaseRef = "master" });
        await File.WriteAllTextAsync(home["bot.yaml"], $"""
            forges:
              github: {"{"} api_url: "{forge.GitHubUrl}", token: "{forge.State.Token}", webhook_secret: "secret" {"}"}
            repos:
              {Repository}:
                plugins: [hold, label]
            """);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Forgeline:Bot:Config"] = home["bot.yaml"],
            ["Forgeline:Bot:MaxAttempts"] = "2",
        }).Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        collection.AddSingleton<TimeProvider>(time);
        collection.AddSingleton(new ForgelinePaths(home["data"]));
        collection.AddDbContext<ForgelineDbContext>(o => o.UseForgelineDatabase(database.Settings));
        collection.AddForgelineEvents(configuration);
        collection.AddForgelineBot(configuration, runProcessor: true);
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await provider.GetRequiredService<DeliveryWriter>().StartAsync(CancellationToken.None);
        return new DeliveryHarness(database, home, forge, time, provider);
    }

    /// <summary>Moves the processor's clock on.</summary>
    public void Advance(TimeSpan by) => clock.Advance(by);

    /// <summary>Stores a GitHub comment by <paramref name="sender"/> on pull request 2 (as the intake would) and returns its row id.</summary>
    public async Task<long> StoreCommentAsync(string sender, string text)
    {
        var body = JsonNode.Parse(WebhookFixtures.Read("github-webhooks/issue_comment/created.payload.json"))!;
        body["issue"]!["number"] = 2;
        body["issue"]!["user"]!["login"] = "carol";
        body["issue"]!["pull_request"] = new JsonObject { ["url"] = $"https://api.github.com/repos/{Repository}/pulls/2" };
        body["comment"]!["body"] = text;
        body["comment"]!["user"]!["login"] = sender;
        body["sender"]!["login"] = sender;
        return await StoreAsync("issue_comment", Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    /// <summary>Stores any GitHub delivery and returns its row id.</summary>
    public async Task<long> StoreAsync(string eventName, byte[] body)
    {
        var writer = services.GetRequiredService<DeliveryWriter>();
        var id = await writer.StoreAsync(new StoredDelivery("github", Guid.NewGuid().ToString(), eventName, body, DeliveryStates.Pending, clock.GetUtcNow().UtcDateTime), CancellationToken.None);
        return id ?? throw new InvalidOperationException("a new delivery id was taken for a duplicate");
    }

    /// <summary>The stored row, as the database has it now.</summary>
    public async Task<BotDeliveryRecord> RowAsync(long id)
    {
        await using var db = database.Open();
        return await db.BotDeliveries.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    /// <summary>The plugin outcomes recorded for a delivery.</summary>
    public async Task<IReadOnlyList<BotPluginRunRecord>> RunsAsync(long id)
    {
        await using var db = database.Open();
        return await db.BotPluginRuns.AsNoTracking().Where(r => r.DeliveryId == id).ToListAsync();
    }

    /// <summary>Changes the stored row directly (as another process would have).</summary>
    public async Task UpdateRowAsync(long id, Action<BotDeliveryRecord> change)
    {
        await using var db = database.Open();
        var row = await db.BotDeliveries.SingleAsync(d => d.Id == id);
        change(row);
        await db.SaveChangesAsync();
    }

    /// <summary>Queues stored delivery <paramref name="id"/> for the processor, as the intake does.</summary>
    public Task QueueAsync(long id) =>
        services.GetRequiredService<IEventBus>().EnqueueAsync(DeliveryIntake.Queue, BitConverter.GetBytes(id), id.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None).AsTask();

    /// <summary>The label POSTs the forge received for pull request 2.</summary>
    public IReadOnlyList<FakeForgeCall> LabelCalls() =>
        [.. Forge.Calls.Where(c => c.Method == "POST" && c.Path == $"/repos/{Repository}/issues/2/labels")];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Forge.Resume();
        await services.GetRequiredService<DeliveryWriter>().StopAsync(CancellationToken.None);
        await services.DisposeAsync();
        await Forge.DisposeAsync();
        await database.DisposeAsync();
        home.Dispose();
    }
}
