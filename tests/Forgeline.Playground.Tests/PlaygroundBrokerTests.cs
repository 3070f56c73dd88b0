using System.Net.WebSockets;
using Forgeline.Core;
using Forgeline.Core.Playground;
using Forgeline.Data;
using Forgeline.Playground.Server;
using Forgeline.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Forgeline.Playground.Tests;

/// <summary>
/// The server's placement of sessions: the queue and its order, the per-person limit, the queue's bound, sessions no
/// browser came for, hosts that stop reporting, and a host that cannot start one. The hosts here are scripted stand-ins
/// for the host interface (real hosts and their sessions are tested in <see cref="PlaygroundHostTests"/> and end to end).
/// </summary>
public sealed class PlaygroundBrokerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private TestDatabase database = null!;
    private ServiceProvider services = null!;
    private PlaygroundBroker broker = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(DatabaseEngine.Sqlite);
        await using (var db = database.Open())
        {
            await DatabaseMigrator.MigrateAsync(db, CancellationToken.None);
        }

        var collection = new ServiceCollection();
        collection.AddDbContext<ForgelineDbContext>(o => o.UseForgelineDatabase(database.Settings));
        collection.AddSingleton<TimeProvider>(time);
        collection.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        collection.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        collection.AddScoped<PlaygroundEnvironmentService>();
        services = collection.BuildServiceProvider();
        broker = new PlaygroundBroker(
            Options.Create(new PlaygroundOptions { SessionsPerUser = 2, MaxQueue = 2, AttachSeconds = 60, HostTimeoutSeconds = 30 }),
            services.GetRequiredService<IServiceScopeFactory>(), time, NullLogger<PlaygroundBroker>.Instance);
        await using var scope = services.CreateAsyncScope();
        var environments = scope.ServiceProvider.GetRequiredService<PlaygroundEnvironmentService>();
        var image = new PlaygroundImageDefinition(Rootfs: Path.GetTempPath().TrimEnd('/'));
        (await environments.PutAsync("open", new PlaygroundEnvironmentDefinition("Open", null, null, image, Anonymous: true), CancellationToken.None)).IsSuccess.ShouldBeTrue();
        (await environments.PutAsync("members", new PlaygroundEnvironmentDefinition("Members", null, null, image), CancellationToken.None)).IsSuccess.ShouldBeTrue();
    }

    public async Task DisposeAsync()
    {
        await broker.DisposeAsync();
        await services.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task When_every_host_is_full_people_wait_in_order_and_the_next_starts_when_a_session_ends()
    {
        var host = new ScriptedHost("h1", capacity: 1);
        broker.AddHost(host);

        var first = await StartAsync("open", Person("ann"));
        var second = await StartAsync("open", Person("bob"));
        var third = await StartAsync("open", Person("cyd"));

        await host.Started.WaitForAsync(1);
        (second.State, second.QueuePosition).ShouldBe((PlaygroundSessionStates.Queued, 1));
        (third.State, third.QueuePosition).ShouldBe((PlaygroundSessionStates.Queued, 2));
        broker.End(first.Id, Person("ann"), null).IsSuccess.ShouldBeTrue();

        await host.Started.WaitForAsync(2);
        host.StartedIds.ShouldBe([first.Id, second.Id]);
        broker.Get(third.Id, Person("cyd"), null).Value!.QueuePosition.ShouldBe(1);
    }

    [Fact]
    public async Task A_person_has_at_most_two_sessions_and_anonymous_people_are_counted_by_address()
    {
        broker.AddHost(new ScriptedHost("h1", capacity: 10));
        await StartAsync("open", Person("ann"));
        await StartAsync("open", Person("ann"));

        var refused = await broker.StartAsync("open", Person("ann"), CancellationToken.None);
        refused.Error.ShouldBe(ServiceError.TooMany);
        refused.Message!.ShouldContain("you already have 2 playground session(s)");
        (await broker.StartAsync("open", Anonymous("10.0.0.1"), CancellationToken.None)).IsSuccess.ShouldBeTrue();
        (await broker.StartAsync("open", Anonymous("10.0.0.1"), CancellationToken.None)).IsSuccess.ShouldBeTrue();
        (await broker.StartAsync("open", Anonymous("10.0.0.1"), CancellationToken.None)).Error.ShouldBe(ServiceError.TooMany);
        (await broker.StartAsync("open", Anonymous("10.0.0.2"), CancellationToken.None)).IsSuccess.ShouldBeTrue();
        (await broker.StartAsync("members", Anonymous("10.0.0.3"), CancellationToken.None)).Error.ShouldBe(ServiceError.Unauthorized);
    }

    [Fact]
    public async Task A_full_queue_refuses_with_a_clear_message_and_no_host_at_all_says_so()
    {
        (await broker.StartAsync("open", Person("ann"), CancellationToken.None)).Message!.ShouldContain("no playground host is running");
        broker.AddHost(new ScriptedHost("h1", capacity: 1));
        await StartAsync("open", Person("ann"));
        await StartAsync("open", Person("bob"));
        await StartAsync("open", Person("cyd"));

        var refused = await broker.StartAsync("open", Person("dee"), CancellationToken.None);

        refused.Error.ShouldBe(ServiceError.Unavailable);
        refused.Message!.ShouldContain("the playground is full and 2 people are waiting");
    }

    [Fact]
    public async Task A_session_no_browser_came_for_is_dropped_and_its_place_given_to_the_next()
    {
        var host = new ScriptedHost("h1", capacity: 1);
        broker.AddHost(host);
        var held = await StartAsync("open", Person("ann"));
        var forgotten = await StartAsync("open", Person("bob"));
        await host.Started.WaitForAsync(1);
        time.Advance(TimeSpan.FromSeconds(30));
        var next = await StartAsync("open", Person("cyd"));

        time.Advance(TimeSpan.FromSeconds(31));

        await WaitForAsync(() => broker.Get(forgotten.Id, Person("bob"), null).Value!.State == PlaygroundSessionStates.Ended);
        broker.Get(forgotten.Id, Person("bob"), null).Value!.EndReason.ShouldBe("no browser waited for it for 60 seconds");
        broker.Get(held.Id, Person("ann"), null).Value!.State.ShouldBe(PlaygroundSessionStates.Running, "a running session is its host's to end");
        broker.Get(next.Id, Person("cyd"), null).Value!.QueuePosition.ShouldBe(1);
    }

    [Fact]
    public async Task A_host_that_cannot_start_a_session_ends_it_with_the_hosts_reason_and_frees_the_room()
    {
        var host = new ScriptedHost("h1", capacity: 1) { Failure = "the image could not be built: no space left" };
        broker.AddHost(host);
        var failed = await StartAsync("open", Person("ann"));

        await WaitForAsync(() => broker.Get(failed.Id, Person("ann"), null).Value!.State == PlaygroundSessionStates.Ended);

        broker.Get(failed.Id, Person("ann"), null).Value!.EndReason.ShouldBe("it could not start: the image could not be built: no space left");
        host.Failure = null;
        var next = await StartAsync("open", Person("bob"));
        await WaitForAsync(() => broker.Get(next.Id, Person("bob"), null).Value!.State == PlaygroundSessionStates.Running);
    }

    [Fact]
    public async Task The_terminal_opens_with_the_sessions_key_only_and_others_cannot_see_or_end_it()
    {
        broker.AddHost(new ScriptedHost("h1", capacity: 1));
        var session = await StartAsync("open", Anonymous("10.0.0.1"));
        var key = session.Terminal!.Split("key=")[1];

        broker.MayAttach(session.Id, key).ShouldBeTrue();
        broker.MayAttach(session.Id, key[..^1] + (key[^1] == '0' ? '1' : '0')).ShouldBeFalse();
        broker.MayAttach(session.Id, null).ShouldBeFalse();
        broker.Get(session.Id, Anonymous("10.0.0.1"), null).Error.ShouldBe(ServiceError.NotFound, "an address is not an identity");
        broker.End(session.Id, Person("mallory"), null).Error.ShouldBe(ServiceError.NotFound);
        broker.List(Person("mallory")).ShouldBeEmpty();
        broker.List(Admin()).Select(s => s.Id).ShouldBe([session.Id]);
        broker.End(session.Id, Anonymous("10.0.0.1"), key).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task A_remote_host_that_stops_reporting_is_dropped_with_its_sessions()
    {
        var report = new PlaygroundHostReport("http://10.0.0.9:5090", new string('s', 64), 4, []);
        var made = 0;
        broker.Report("far", report, () =>
        {
            made++;
            return new RemoteHostClient("far", report, new HttpClient());
        });
        broker.Report("far", report, () => throw new InvalidOperationException("the same host is not made twice"));
        broker.Hosts().ShouldBe([("far", 4, 0)]);
        made.ShouldBe(1);

        time.Advance(TimeSpan.FromSeconds(31));

        await WaitForAsync(() => broker.Hosts().Count == 0);
    }

    private async Task<PlaygroundSessionDto> StartAsync(string environment, PlaygroundCaller caller)
    {
        var started = await broker.StartAsync(environment, caller, CancellationToken.None);
        started.IsSuccess.ShouldBeTrue(started.Message);
        return started.Value!;
    }

    private static PlaygroundCaller Person(string name) => new(name, true, false, "user:" + name);

    private static PlaygroundCaller Admin() => new("root", true, true, "user:root");

    private static PlaygroundCaller Anonymous(string address) => new("anonymous", false, false, "anonymous@" + address);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline);
            await Task.Delay(20);
        }
    }

    /// <summary>A host that starts sessions at once (or fails with <see cref="Failure"/>) and remembers the order.</summary>
    private sealed class ScriptedHost(string name, int capacity) : IPlaygroundHostClient
    {
        private readonly List<string> started = [];

        public string Name { get; } = name;

        public int Capacity { get; } = capacity;

        public IReadOnlyList<HostSessionDto> Sessions => [];

        public string? Failure { get; set; }

        public Counter Started { get; } = new();

        public IReadOnlyList<string> StartedIds
        {
            get
            {
                lock (started)
                {
                    return started.ToList();
                }
            }
        }

        public Task StartAsync(HostStartRequest request, IProgress<string> progress, CancellationToken cancellationToken)
        {
            if (Failure is { } failure)
            {
                throw new InvalidOperationException(failure);
            }

            lock (started)
            {
                started.Add(request.Id);
            }

            Started.Increment();
            return Task.CompletedTask;
        }

        public Task EndAsync(string id, string reason, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task AttachAsync(string id, WebSocket browser, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A count one can wait for.</summary>
    private sealed class Counter
    {
        private int value;

        public void Increment() => Interlocked.Increment(ref value);

        public Task WaitForAsync(int count) => PlaygroundBrokerTests.WaitForAsync(() => Volatile.Read(ref value) >= count);
    }
}
