using Forgeline.Data;
using Forgeline.Events;
using Forgeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Forgeline.Accounts.Tests;

/// <summary>The RabbitMQ broker of these tests, shared by the class.</summary>
[CollectionDefinition("rabbitmq")]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqServer>;

/// <summary>
/// Verified tokens are cached per process, and revocation stays instant: on the node that revokes, the very next check
/// refuses the token; on another replica, as soon as the revocation's event arrives over the real broker.
/// </summary>
[Collection("rabbitmq")]
public sealed class TokenCacheTests(RabbitMqServer broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task A_revoked_token_is_refused_at_the_very_next_check_though_it_was_cached(DatabaseEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var node = await Node.StartAsync(database, []);
        var (_, secret) = await node.Tokens(t => t.CreateAsync("ci-worker", ["worker"], default));
        var (_, other) = await node.Tokens(t => t.CreateAsync("ci-other", ["worker"], default));

        (await node.Tokens(t => t.FindAsync(secret, default))).ShouldNotBeNull().Name.ShouldBe("ci-worker");
        (await node.Tokens(t => t.FindAsync(other, default))).ShouldNotBeNull();
        node.Cache.Find(Secrets.HashOf(secret)).ShouldNotBeNull("the second check of a token is answered from the cache");

        (await node.Tokens(t => t.RevokeAsync("ci-worker", default))).ShouldBeTrue();

        (await node.Tokens(t => t.FindAsync(secret, default))).ShouldBeNull();
        (await node.Tokens(t => t.FindAsync(other, default))).ShouldNotBeNull("other tokens are read again and still valid");
    }

    [Fact]
    public async Task A_replaced_token_is_refused_at_once_and_entries_expire_on_their_own()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseEngine.Sqlite);
        await using var node = await Node.StartAsync(database, []);
        var old = await node.Tokens(t => t.RecreateAsync("embedded-worker", ["worker"], default));
        (await node.Tokens(t => t.FindAsync(old, default))).ShouldNotBeNull();

        var fresh = await node.Tokens(t => t.RecreateAsync("embedded-worker", ["worker"], default));

        (await node.Tokens(t => t.FindAsync(old, default))).ShouldBeNull();
        (await node.Tokens(t => t.FindAsync(fresh, default))).ShouldNotBeNull();
        node.Cache.Find(Secrets.HashOf(fresh)).ShouldNotBeNull();
        node.Time.Advance(TokenCache.Lifetime + TimeSpan.FromSeconds(1));
        node.Cache.Find(Secrets.HashOf(fresh)).ShouldBeNull("an entry is trusted for TokenCache.Lifetime at most");
    }

    [Fact]
    public async Task Another_replica_refuses_a_token_revoked_on_the_first_as_soon_as_the_event_arrives()
    {
        var settings = new Dictionary<string, string?> { ["Forgeline:Broker"] = broker.Url(await broker.CreateVirtualHostAsync()) };
        await using var database = await TestDatabase.CreateAsync(DatabaseEngine.Postgres);
        await using var a = await Node.StartAsync(database, settings);
        await using var b = await Node.StartAsync(database, settings);
        var (_, secret) = await a.Tokens(t => t.CreateAsync("pool", ["worker"], default));
        (await a.Tokens(t => t.FindAsync(secret, default))).ShouldNotBeNull();
        (await b.Tokens(t => t.FindAsync(secret, default))).ShouldNotBeNull();
        b.Cache.Find(Secrets.HashOf(secret)).ShouldNotBeNull("replica B holds the token in its cache");

        (await a.Tokens(t => t.RevokeAsync("pool", default))).ShouldBeTrue();

        (await a.Tokens(t => t.FindAsync(secret, default))).ShouldBeNull();
        var deadline = DateTime.UtcNow + Patience;
        while (b.Cache.Find(Secrets.HashOf(secret)) is not null)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "replica B forgets the token when the revocation reaches it");
            await Task.Delay(10);
        }

        (await b.Tokens(t => t.FindAsync(secret, default))).ShouldBeNull();
    }

    [Fact]
    public void Without_an_event_bus_nothing_is_cached()
    {
        var time = new FakeTimeProvider();
        var cache = new TokenCache(time);
        cache.Add("hash", new Data.Entities.ApiTokenRecord { Name = "t", Hash = "hash", Scopes = "worker" }, cache.Generation);
        cache.Find("hash").ShouldBeNull("a replica that may miss revocations must not cache");
    }

    /// <summary>One server process's accounts services over a shared database, with its own event bus and cache.</summary>
    private sealed class Node : IAsyncDisposable
    {
        private readonly ServiceProvider services;
        private readonly List<IHostedService> started;

        private Node(ServiceProvider services, FakeTimeProvider time)
        {
            this.services = services;
            Time = time;
            started = services.GetServices<IHostedService>().ToList();
        }

        public FakeTimeProvider Time { get; }

        public TokenCache Cache => services.GetRequiredService<TokenCache>();

        public static async Task<Node> StartAsync(TestDatabase database, Dictionary<string, string?> settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var collection = new ServiceCollection();
            collection.AddLogging();
            var time = new FakeTimeProvider();
            collection.AddSingleton<TimeProvider>(time);
            collection.AddDbContext<ForgelineDbContext>(o => o.UseForgelineDatabase(database.Settings));
            collection.AddForgelineEvents(configuration);
            collection.AddForgelineAccounts(configuration);
            var node = new Node(collection.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }), time);
            await using (var scope = node.services.CreateAsyncScope())
            {
                await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<ForgelineDbContext>());
            }

            foreach (var service in node.started)
            {
                await service.StartAsync(CancellationToken.None);
            }

            return node;
        }

        public async Task<T> Tokens<T>(Func<TokenService, Task<T>> action)
        {
            await using var scope = services.CreateAsyncScope();
            return await action(scope.ServiceProvider.GetRequiredService<TokenService>());
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var service in Enumerable.Reverse(started))
            {
                await service.StopAsync(CancellationToken.None);
            }

            await services.DisposeAsync();
        }
    }
}
