using System.Text.Json;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Forges.GitHub;
using Forgeline.Testing;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>A started fake forge, a fake clock, and a <see cref="GitHubClient"/> pointed at the fake with its token.</summary>
public sealed class GitHubClientHarness : IAsyncDisposable
{
    /// <summary>The repository the tests use.</summary>
    public static readonly RepoRef Repo = new(Forge.GitHub, "acme", "widgets");

    private readonly HttpClient httpClient = new() { Timeout = Timeout.InfiniteTimeSpan };

    private GitHubClientHarness(FakeForge fake) => Fake = fake;

    /// <summary>The fake GitHub.</summary>
    public FakeForge Fake { get; }

    /// <summary>The clock the client waits on.</summary>
    public FakeClock Clock { get; } = new();

    /// <summary>The fake's state.</summary>
    public FakeForgeState State => Fake.State;

    /// <summary>Starts the fake and adds <see cref="Repo"/>.</summary>
    public static async Task<GitHubClientHarness> StartAsync()
    {
        var harness = new GitHubClientHarness(await FakeForge.StartAsync());
        harness.State.AddRepository(Forge.GitHub, Repo.FullName);
        return harness;
    }

    /// <summary>Options for the fake with its token; request timeouts of an hour so they never mix with the timers a test waits for.</summary>
    public ForgeClientOptions Options(string? token = null) =>
        new(Fake.GitHubUrl, token ?? State.Token) { RequestTimeout = TimeSpan.FromHours(1) };

    /// <summary>A client of the fake.</summary>
    public GitHubClient Client(ForgeClientOptions? options = null, ForgeMetrics? metrics = null) =>
        new(httpClient, options ?? Options(), Clock, metrics);

    /// <summary>The JSON body of a recorded call.</summary>
    public static JsonElement Body(FakeForgeCall call)
    {
        using var document = JsonDocument.Parse(call.Body);
        return document.RootElement.Clone();
    }

    /// <summary>Moves the clock past every retry backoff (timers shorter than a minute) until <paramref name="task"/> ends.</summary>
    public async Task<T> RunPastBackoffsAsync<T>(Task<T> task)
    {
        while (!task.IsCompleted)
        {
            var waiting = Clock.WaitForTimerAsync(remaining => remaining < TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30));
            if (await Task.WhenAny(waiting, task) == waiting)
            {
                Clock.Advance(await waiting);
            }
        }

        return await task;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        httpClient.Dispose();
        await Fake.DisposeAsync();
    }
}
