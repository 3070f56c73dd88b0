using System.Net.Http.Headers;
using System.Text.Json;
using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.MessageCenter;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.EndToEnd.Tests;

/// <summary>The message center in a real <c>forgeline server</c>: webhooks across a kill -9, the SSE stream, the CLI.</summary>
public sealed class EventsTests
{
    private const string Secret = "end-to-end-webhook-secret";

    private static readonly Dictionary<string, string?> LoopbackSubscribers = new()
    {
        ["Forgeline__Events__AllowPrivateTargets"] = "true",
        ["Forgeline__Events__FirstRetrySeconds"] = "1",
        ["Forgeline__Events__MaxRetrySeconds"] = "2",
    };

    [Fact]
    public async Task A_subscriber_that_was_down_gets_the_finished_build_exactly_as_stored_after_the_server_was_killed_and_restarted()
    {
        await using var subscriber = WebhookSubscriber.Down();
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: true, LoopbackSubscribers);
        var (code, stdout, stderr) = await server.CliAsync("events", "subscribe", "--type", "org.forgeline.build.finished", "--url", subscriber.Url, "--secret", Secret, "--json");
        code.ShouldBe(0, stderr);
        var subscriptionId = JsonDocument.Parse(stdout).RootElement.GetProperty("subscription").GetProperty("id").GetInt64();

        var id = await server.SubmitAsync(TestPackages.WriteSpecDirectory(server.Home["in"], "evented"));
        (await server.WaitForFinalAsync(id, TimeSpan.FromMinutes(2))).State.ShouldBe("succeeded");
        using (var client = server.Client())
        {
            // The subscriber is down: the first attempt fails and the delivery waits for its retry.
            await WaitAsync(async () => await client.ListDeliveriesAsync(subscriptionId) is [{ State: "pending", Attempts: >= 1, LastError: not null }]);
        }

        await server.Process.KillAsync();
        await subscriber.StartServerAsync();
        await server.StartProcessAsync();
        await subscriber.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(60));

        var received = subscriber.Requests.First();
        WebhookSignature.Verify(Secret, received.Body, received.Headers[WebhookSignature.Header]).ShouldBeTrue();
        await using (var db = new ForgelineDbContext(new DbContextOptionsBuilder<ForgelineDbContext>().UseForgelineSqlite(server.Home["data/forgeline.db"]).Options))
        {
            var stored = await db.Outbox.AsNoTracking().SingleAsync(o => o.EventId == received.EventId);
            received.Body.ShouldBe(CloudEventEncoder.Encode(stored).ToArray());
            stored.Type.ShouldBe(EventTypes.BuildFinished);
            stored.Subject.ShouldBe($"builds/{id}");
        }

        var data = received.Json.GetProperty("data");
        data.GetProperty("id").GetInt64().ShouldBe(id);
        data.GetProperty("result").GetString().ShouldBe("succeeded");
        data.GetProperty("package").GetString().ShouldBe("evented-1.0-1", data.GetRawText());
        var (listed, table, listError) = await server.CliAsync("events", "deliveries", subscriptionId.ToString(), "--json");
        listed.ShouldBe(0, listError);
        var delivery = JsonDocument.Parse(table).RootElement.EnumerateArray().ShouldHaveSingleItem();
        delivery.GetProperty("state").GetString().ShouldBe("delivered");
        delivery.GetProperty("attempts").GetInt32().ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task The_event_stream_sends_events_live_and_resumes_after_Last_Event_ID()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, LoopbackSubscribers);
        using var client = server.Client();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var live = new List<(long Id, string Json)>();
        var following = Task.Run(async () =>
        {
            await foreach (var e in client.StreamEventsAsync(["org.forgeline.build.*"], cancellationToken: cts.Token))
            {
                live.Add(e);
                if (live.Count == 2)
                {
                    return;
                }
            }
        }, cts.Token);
        // The CLI follows the same stream, as a user types it.
        await using var tail = ForgelineProcess.Start(["events", "tail", "--type", "org.forgeline.build.*", "--json"],
            new Dictionary<string, string?>(server.Environment) { ["FORGELINE_URL"] = server.Url.ToString(), ["FORGELINE_TOKEN"] = server.AdminToken });
        await Task.Delay(1500);

        // No worker has this label: the build stays queued until it is canceled.
        var id = await server.SubmitAsync(TestPackages.WriteSpecDirectory(server.Home["in"], "waiting"), "--label", "nowhere");
        (await server.CliAsync("builds", "cancel", id.ToString())).ExitCode.ShouldBe(0);
        await following;

        live.Select(e => JsonDocument.Parse(e.Json).RootElement.GetProperty("type").GetString()).ShouldBe([EventTypes.BuildQueued, EventTypes.BuildFinished]);
        JsonDocument.Parse(live[1].Json).RootElement.GetProperty("data").GetProperty("result").GetString().ShouldBe("canceled");
        await tail.WaitForOutputAsync("\"type\":\"org.forgeline.build.finished\"", TimeSpan.FromSeconds(30));
        tail.Output.ShouldContain($"\"subject\":\"builds/{id}\"");
        await tail.KillAsync();

        // A reconnect with Last-Event-ID gets what came after it, from the outbox.
        using var http = new HttpClient { BaseAddress = server.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/events/stream");
        request.Headers.Add("Last-Event-ID", live[0].Id.ToString());
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(cts.Token) is { } line && !line.StartsWith("data:", StringComparison.Ordinal))
        {
            lines.Add(line);
        }

        lines.ShouldContain($"id: {live[1].Id}");

        // Without a token the stream is refused.
        using var anonymous = await new HttpClient { BaseAddress = server.Url }.GetAsync("api/v1/events/stream", cts.Token);
        ((int)anonymous.StatusCode).ShouldBe(401);
    }

    [Fact]
    public async Task The_cli_refuses_a_subscription_url_that_is_not_http_and_lists_and_removes_subscriptions()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false);
        var (code, _, stderr) = await server.CliAsync("events", "subscribe", "--type", "org.forgeline.*", "--url", "ftp://example.org/hook");
        code.ShouldBe(1);
        stderr.ShouldContain("http:// or https://");
        var (loopback, _, loopbackError) = await server.CliAsync("events", "subscribe", "--type", "org.forgeline.*", "--url", "http://127.0.0.1:9/hook");
        loopback.ShouldBe(1);
        loopbackError.ShouldContain("AllowPrivateTargets");

        var (made, stdout, madeError) = await server.CliAsync("events", "subscribe", "--type", "org.forgeline.build.*", "--url", "https://hooks.example.org/forgeline");
        made.ShouldBe(0, madeError);
        stdout.ShouldContain("Secret (shown once");
        var (_, list, _) = await server.CliAsync("events", "list");
        list.ShouldContain("https://hooks.example.org/forgeline");
        var id = stdout.Split(':')[0].Replace("Subscription ", "", StringComparison.Ordinal).Trim();
        (await server.CliAsync("events", "unsubscribe", id)).ExitCode.ShouldBe(0);
        (await server.CliAsync("events", "list")).Stdout.ShouldNotContain("hooks.example.org");
        (await server.CliAsync("events", "deliveries", id)).Stderr.ShouldContain($"no subscription {id}");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the condition never held");
            }

            await Task.Delay(200);
        }
    }
}
