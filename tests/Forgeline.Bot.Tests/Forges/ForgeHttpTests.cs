using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Forgeline.Bot.Forges;
using Forgeline.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>Rate limits, retries, timeouts, errors and metrics of <see cref="ForgeHttp"/>, through the GitHub client against the fake, on fake time.</summary>
public sealed class ForgeHttpTests : IAsyncLifetime
{
    private static readonly RepoRef Repo = GitHubClientHarness.Repo;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private GitHubClientHarness harness = null!;

    private FakeForge Fake => harness.Fake;

    private FakeClock Clock => harness.Clock;

    public async Task InitializeAsync()
    {
        harness = await GitHubClientHarness.StartAsync();
        harness.State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(1, false, "alice", "An issue"));
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task A_403_with_no_remaining_requests_waits_until_the_reset_time_then_succeeds()
    {
        var reset = Clock.GetUtcNow().AddSeconds(30).ToUnixTimeSeconds();
        Fake.FailNext(1, 403, new Dictionary<string, string> { ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = $"{reset}" }, "API rate limit exceeded");

        var reading = harness.Client().GetIssueAsync(Repo, 1, CancellationToken.None);
        (await Clock.WaitForTimerAsync(remaining => remaining == TimeSpan.FromSeconds(30), Generous)).ShouldBe(TimeSpan.FromSeconds(30));
        Clock.Advance(TimeSpan.FromSeconds(29));
        Fake.Calls.Count.ShouldBe(1);
        Clock.Advance(TimeSpan.FromSeconds(1));

        (await reading.WaitAsync(Generous)).Title.ShouldBe("An issue");
        Fake.Calls.Select(c => c.StatusCode).ShouldBe([403, 200]);
    }

    [Fact]
    public async Task A_429_with_Retry_After_waits_that_many_seconds_then_succeeds()
    {
        Fake.FailNext(1, 429, new Dictionary<string, string> { ["Retry-After"] = "5" });

        var reading = harness.Client().GetIssueAsync(Repo, 1, CancellationToken.None);
        await Clock.WaitForTimerAsync(remaining => remaining == TimeSpan.FromSeconds(5), Generous);
        Clock.Advance(TimeSpan.FromSeconds(4));
        Fake.Calls.Count.ShouldBe(1);
        Clock.Advance(TimeSpan.FromSeconds(1));

        (await reading.WaitAsync(Generous)).Number.ShouldBe(1);
        Fake.Calls.Select(c => c.StatusCode).ShouldBe([429, 200]);
    }

    [Fact]
    public async Task A_rate_limit_longer_than_the_cap_fails_at_once_naming_when_it_ends()
    {
        var reset = Clock.GetUtcNow().AddMinutes(10);
        Fake.FailNext(1, 403, new Dictionary<string, string> { ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = $"{reset.ToUnixTimeSeconds()}" });

        var error = await Should.ThrowAsync<ForgeApiException>(() => harness.Client().GetIssueAsync(Repo, 1, CancellationToken.None));

        error.StatusCode.ShouldBe(403);
        error.Message.ShouldContain("rate-limited");
        error.Message.ShouldContain("until 2026-01-01T00:10:00Z");
        error.Message.ShouldContain("600 s");
        Fake.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_403_that_is_not_a_rate_limit_fails_at_once()
    {
        Fake.FailNext(1, 403, null, "Resource not accessible by integration");

        var error = await Should.ThrowAsync<ForgeApiException>(() => harness.Client().GetIssueAsync(Repo, 1, CancellationToken.None));

        error.StatusCode.ShouldBe(403);
        error.Message.ShouldContain("Resource not accessible by integration");
        Fake.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Bad_gateways_are_retried_after_growing_backoffs_then_succeed()
    {
        Fake.FailNext(2, 502);

        var reading = harness.Client().GetIssueAsync(Repo, 1, CancellationToken.None);
        var first = await Clock.WaitForTimerAsync(r => r < TimeSpan.FromMinutes(1), Generous);
        Clock.Advance(first);
        var second = await Clock.WaitForTimerAsync(r => r < TimeSpan.FromMinutes(1), Generous);
        Clock.Advance(second);

        (await reading.WaitAsync(Generous)).Number.ShouldBe(1);
        Fake.Calls.Select(c => c.StatusCode).ShouldBe([502, 502, 200]);
        // Base 500 ms doubling, with jitter between half and all of it.
        first.ShouldBeInRange(TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500));
        second.ShouldBeInRange(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000));
    }

    [Fact]
    public async Task Server_errors_give_up_after_the_configured_attempts()
    {
        Fake.FailNext(3, 503, null, "Service Unavailable");
        var client = harness.Client(harness.Options() with { MaxAttempts = 3 });

        var error = await Should.ThrowAsync<ForgeApiException>(() => harness.RunPastBackoffsAsync(client.GetIssueAsync(Repo, 1, CancellationToken.None)));

        error.StatusCode.ShouldBe(503);
        error.Message.ShouldContain("after 3 attempts");
        Fake.Calls.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_422_is_not_retried_and_carries_GitHubs_message()
    {
        harness.State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(2, true, "alice", "t") { HeadSha = "abc" });

        var error = await Should.ThrowAsync<ForgeApiException>(() => harness.Client().RequestReviewersAsync(Repo, 2, ["alice"], CancellationToken.None));

        error.StatusCode.ShouldBe(422);
        error.Message.ShouldContain("POST repos/acme/widgets/pulls/2/requested_reviewers failed with 422: Review cannot be requested from pull request author.");
        Fake.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_forge_that_does_not_answer_times_out_per_attempt_and_is_retried()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                var connection = await silent.AcceptTcpClientAsync();
                lock (accepted)
                {
                    accepted.Add(connection);
                }
            }
        });
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var options = new ForgeClientOptions(new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/"), "t") { MaxAttempts = 2 };
        var client = new Bot.Forges.GitHub.GitHubClient(http, options, Clock);

        var reading = client.GetIssueAsync(Repo, 1, CancellationToken.None);
        Clock.Advance(await Clock.WaitForTimerAsync(r => r == TimeSpan.FromSeconds(10), Generous));
        Clock.Advance(await Clock.WaitForTimerAsync(r => r < TimeSpan.FromSeconds(10), Generous));
        Clock.Advance(await Clock.WaitForTimerAsync(r => r == TimeSpan.FromSeconds(10), Generous));

        var error = await Should.ThrowAsync<ForgeApiException>(() => reading.WaitAsync(Generous));
        error.Message.ShouldContain("after 2 attempts: no answer within 10 s");
        error.StatusCode.ShouldBeNull();
        silent.Stop();
        lock (accepted)
        {
            accepted.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_reported_with_the_network_error()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var http = new HttpClient();
        var options = new ForgeClientOptions(new Uri($"http://127.0.0.1:{port}/"), "t") { MaxAttempts = 3, RequestTimeout = TimeSpan.FromHours(1) };
        var client = new Bot.Forges.GitHub.GitHubClient(http, options, Clock);

        var error = await Should.ThrowAsync<ForgeApiException>(() => harness.RunPastBackoffsAsync(client.GetIssueAsync(Repo, 1, CancellationToken.None)));

        error.Message.ShouldContain("after 3 attempts");
        error.InnerException.ShouldBeOfType<HttpRequestException>();
    }

    [Fact]
    public async Task Each_attempt_is_counted_by_forge_method_and_status()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new ForgeMetrics(meterFactory);
        var counted = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Name == "forgeline_bot_forge_requests_total")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(p => p.Key, p => p.Value?.ToString());
            lock (counted)
            {
                counted.Add($"{t["forge"]} {t["method"]} {t["status"]} {value}");
            }
        });
        listener.Start();
        Fake.FailNext(1, 502);

        await harness.RunPastBackoffsAsync(harness.Client(metrics: metrics).GetIssueAsync(Repo, 1, CancellationToken.None));

        counted.ShouldBe(["github GET 502 1", "github GET 200 1"]);
    }
}
