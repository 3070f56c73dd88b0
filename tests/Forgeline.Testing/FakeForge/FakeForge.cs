using Microsoft.AspNetCore.Builder;

namespace Forgeline.Testing;

/// <summary>
/// A fake of GitHub/Gitee/GitLab's REST APIs for tests: follows their documented request and response shapes; not the
/// real service. A real Kestrel server on 127.0.0.1 (random port): GitHub's API at the root, Gitee's under
/// <c>/gitee/api/v5</c>, GitLab's under <c>/gitlab/api/v4</c>, all over one <see cref="FakeForgeState"/>. It checks the
/// token on every request, records every call, and can fail the next requests on demand.
/// </summary>
public sealed class FakeForge : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly FakeForgeCallLog log;
    private readonly FakeForgeGate gate;

    private FakeForge(WebApplication app, FakeForgeState state, FakeForgeCallLog log, FakeForgeGate gate, Uri root)
    {
        this.app = app;
        this.log = log;
        this.gate = gate;
        State = state;
        RootUrl = root;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri RootUrl { get; }

    /// <summary>GitHub's API base (what <c>https://api.github.com</c> is to the real one).</summary>
    public Uri GitHubUrl => RootUrl;

    /// <summary>Gitee's API base (what <c>https://gitee.com/api/v5</c> is to the real one).</summary>
    public Uri GiteeUrl => new(RootUrl, "gitee/api/v5/");

    /// <summary>GitLab's API base (what <c>https://gitlab.com/api/v4</c> is to the real one).</summary>
    public Uri GitLabUrl => new(RootUrl, "gitlab/api/v4/");

    /// <summary>What the fake knows; tests arrange and inspect it.</summary>
    public FakeForgeState State { get; }

    /// <summary>Every call answered so far, in order.</summary>
    public IReadOnlyList<FakeForgeCall> Calls => log.Calls;

    /// <summary>Starts a fake on a random loopback port; <paramref name="time"/> stamps calls, comments and statuses.</summary>
    public static async Task<FakeForge> StartAsync(TimeProvider? time = null)
    {
        var state = new FakeForgeState(time);
        var log = new FakeForgeCallLog();
        var gate = new FakeForgeGate(state, log);
        var app = LoopbackWebApp.Create();
        app.Use(gate.InvokeAsync);
        app.MapGitHub(state);
        app.MapGroup("/gitee/api/v5").MapGitee(state);
        app.MapGroup("/gitlab/api/v4").MapGitLab(state);
        app.MapFallback(() => FakeForgeHttp.Message(404, "Not Found"));
        return new FakeForge(app, state, log, gate, await LoopbackWebApp.StartAsync(app));
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) for a call matching <paramref name="predicate"/>, counting calls already made.</summary>
    public Task<FakeForgeCall> WaitForCallAsync(Func<FakeForgeCall, bool> predicate, TimeSpan timeout) => log.WaitForAsync(predicate, timeout);

    /// <summary>
    /// Answers the next <paramref name="count"/> requests (any forge) with <paramref name="status"/>, the given headers
    /// (e.g. <c>Retry-After</c>, <c>X-RateLimit-Remaining</c>/<c>X-RateLimit-Reset</c>) and <c>{"message": …}</c>, without touching the state.
    /// </summary>
    public void FailNext(int count, int status, IDictionary<string, string>? headers = null, string? message = null) =>
        gate.FailNext(count, status, headers, message);

    /// <summary>Holds every request before it is handled (a forge that stopped answering) until <see cref="Resume"/>.</summary>
    public void Pause() => gate.Pause();

    /// <summary>Lets held requests, and all later ones, through.</summary>
    public void Resume() => gate.Resume();

    /// <summary>Completes once a request is held by <see cref="Pause"/>.</summary>
    public Task HeldAsync() => gate.HeldAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        gate.Resume();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
