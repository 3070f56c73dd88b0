using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Forgeline.Core.Client;
using Forgeline.Core.Playground;
using Forgeline.Testing;
using Forgeline.Testing.Playground;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// The playground through the server, as people use it: an admin defines an environment with the CLI, someone starts
/// a session and types into its terminal over the WebSocket, limits and the queue hold, and sessions end cleanly.
/// </summary>
public sealed class PlaygroundTests(PlaygroundTests.Fixture fixture) : IClassFixture<PlaygroundTests.Fixture>
{
    private ForgelineServer Server => fixture.Server;

    [Fact]
    public async Task An_admin_defines_an_environment_with_the_cli_and_a_user_gets_a_shell_in_it()
    {
        var course = Server.Home["course.md"];
        await File.WriteAllTextAsync(course, "# Learning the shell\n\nType `echo hello`.\n");
        var created = await Server.CliAsync("playground", "env", "create", "shell-course", "--rootfs", fixture.Image, "--title", "Learning the shell",
            "--welcome", "Welcome to the shell course!", "--course", course, "--copy", $"/etc/motd={course}", "--anonymous", "--max-minutes", "30");
        created.ExitCode.ShouldBe(0, created.Stderr);
        (await Server.CliAsync("playground", "env", "list")).Stdout.ShouldContain("shell-course");

        using var anonymous = new ForgelineClient(Server.Url, null);
        var stopwatch = Stopwatch.StartNew();
        var session = await anonymous.StartPlaygroundSessionAsync("shell-course");
        await using var terminal = await PlaygroundTerminal.ConnectAsync(Server.Url, session.Terminal!);

        await terminal.WaitForAsync("Welcome to the shell course!");
        await terminal.WaitForAsync("$ ");
        var toPrompt = stopwatch.Elapsed;
        await terminal.TypeAsync("echo hel''lo; uname -a; grep -c Learning /etc/motd\r");
        var at = await terminal.WaitForAsync("hello\r\n");
        await terminal.WaitForAsync("Linux playground", at);
        await terminal.WaitForAsync("1\r\n", at);
        toPrompt.ShouldBeLessThan(TimeSpan.FromSeconds(10), "the image is built on the first start; even then a prompt comes quickly");
    }

    [Fact]
    public async Task Bad_definitions_unknown_environments_and_signed_out_starts_get_clear_errors()
    {
        var broken = await Server.CliAsync("playground", "env", "create", "broken", "--rootfs", "/no/such/rootfs");
        broken.ExitCode.ShouldNotBe(0);
        broken.Stderr.ShouldContain("does not exist");
        var limits = await Server.CliAsync("playground", "env", "create", "greedy", "--rootfs", fixture.Image, "--memory-mb", "1");
        limits.Stderr.ShouldContain("limits.memoryMegabytes is 32–65536");
        var network = await Server.CliAsync("playground", "env", "create", "leaky", "--rootfs", fixture.Image, "--network", "everything");
        network.Stderr.ShouldContain("network entry 'everything' is not HOST:PORT");
        (await Server.CliAsync("playground", "env", "create", "members-only", "--rootfs", fixture.Image)).ExitCode.ShouldBe(0);

        using var anonymous = new HttpClient { BaseAddress = Server.Url };
        var unknown = await anonymous.PostAsJsonAsync("api/v1/playground/sessions", new { environment = "no-such-environment" });
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("there is no playground environment 'no-such-environment'");
        var signedOut = await anonymous.PostAsJsonAsync("api/v1/playground/sessions", new { environment = "members-only" });
        signedOut.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await signedOut.Content.ReadAsStringAsync()).ShouldContain("sign in to use the environment 'members-only'");
    }

    [Fact]
    public async Task A_terminal_needs_its_key_and_forgelines_own_origin()
    {
        await EnsureEnvironmentAsync("keyed");
        using var admin = Server.Client();
        var session = await admin.StartPlaygroundSessionAsync("keyed");
        var wrongKey = session.Terminal![..^4] + "0000";

        var refused = await Should.ThrowAsync<WebSocketException>(() => PlaygroundTerminal.ConnectAsync(Server.Url, wrongKey));
        refused.Message.ShouldContain("404");
        var crossSite = await Should.ThrowAsync<WebSocketException>(() => PlaygroundTerminal.ConnectAsync(Server.Url, session.Terminal, origin: "https://evil.example"));
        crossSite.Message.ShouldContain("403");
        await using var terminal = await PlaygroundTerminal.ConnectAsync(Server.Url, session.Terminal, origin: Server.Url.GetLeftPart(UriPartial.Authority));
        await terminal.TypeAsync("echo KEY''-OK\r");
        await terminal.WaitForAsync("KEY-OK\r\n");
        await admin.EndPlaygroundSessionAsync(session.Id);
    }

    [Fact]
    public async Task A_person_may_have_two_sessions_and_ending_one_with_the_cli_kills_its_processes()
    {
        await EnsureEnvironmentAsync("limited");
        var token = await fixture.UserTokenAsync("pat");
        using var pat = Server.Client(token);
        var first = await pat.StartPlaygroundSessionAsync("limited");
        var second = await pat.StartPlaygroundSessionAsync("limited");

        var third = await Should.ThrowAsync<ForgelineApiException>(() => pat.StartPlaygroundSessionAsync("limited"));
        third.Message.ShouldContain("you already have 2 playground session(s)");

        await using var terminal = await PlaygroundTerminal.ConnectAsync(Server.Url, first.Terminal!);
        await terminal.TypeAsync("sleep 1234 & echo SLEEP''ING\r");
        await terminal.WaitForAsync("SLEEPING\r\n");
        await HostProcesses.WaitForAsync("sleep 1234", 1);
        var listed = await Server.CliAsync("playground", "sessions");
        listed.Stdout.ShouldContain(first.Id);
        listed.Stdout.ShouldContain("pat");

        var ended = await Server.CliAsync("playground", "end", first.Id);

        ended.ExitCode.ShouldBe(0, ended.Stderr);
        (await terminal.WaitForControlAsync("ended")).GetProperty("reason").GetString()!.ShouldContain("ended by");
        await terminal.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        await HostProcesses.WaitForAsync("sleep 1234", 0, TimeSpan.Zero);
        (await pat.StartPlaygroundSessionAsync("limited")).State.ShouldBeOneOf(PlaygroundSessionStates.Queued, PlaygroundSessionStates.Starting);
        await pat.EndPlaygroundSessionAsync(second.Id);

        // The message center heard both ends of the session's life.
        using var admin = Server.Client();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<string>();
        await foreach (var (_, json) in admin.StreamEventsAsync(["org.forgeline.playground.*"], after: 0, limit.Token))
        {
            var cloudEvent = System.Text.Json.JsonDocument.Parse(json).RootElement;
            if (cloudEvent.GetProperty("subject").GetString() == $"playground/sessions/{first.Id}")
            {
                seen.Add(cloudEvent.GetProperty("type").GetString()!);
                cloudEvent.GetProperty("data").GetProperty("environment").GetString().ShouldBe("limited");
                if (seen.Count == 2)
                {
                    break;
                }
            }
        }

        seen.ShouldBe(["org.forgeline.playground.session.started", "org.forgeline.playground.session.ended"]);
    }

    [Fact]
    public async Task Sessions_wait_in_a_queue_when_every_host_is_full_and_start_when_one_ends()
    {
        await EnsureEnvironmentAsync("queued", anonymous: true);
        await fixture.EndEverySessionAsync();
        var holders = new List<PlaygroundSessionDto>();
        for (var i = 0; i < Fixture.Capacity; i++)
        {
            using var user = Server.Client(await fixture.UserTokenAsync($"holder{i}"));
            holders.Add(await user.StartPlaygroundSessionAsync("queued"));
        }

        using var late = new ForgelineClient(Server.Url, null);
        var waiting = await late.StartPlaygroundSessionAsync("queued");
        waiting.State.ShouldBe(PlaygroundSessionStates.Queued);
        waiting.QueuePosition.ShouldBe(1);
        await using var terminal = await PlaygroundTerminal.ConnectAsync(Server.Url, waiting.Terminal!);
        (await terminal.WaitForControlAsync("status")).GetProperty("message").GetString().ShouldBe("waiting for room: 1st in the queue");

        using var admin = Server.Client();
        foreach (var holder in holders)
        {
            await admin.EndPlaygroundSessionAsync(holder.Id);
        }

        await terminal.TypeAsync("echo MY''-TURN\r");
        await terminal.WaitForAsync("MY-TURN\r\n", timeout: TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_separate_playground_host_runs_the_sessions_and_the_server_relays_its_terminal()
    {
        await using var server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?> { ["Forgeline__Playground__EmbeddedHost"] = "false" });
        using var admin = server.Client();
        var created = await server.CliAsync("playground", "env", "create", "remote", "--rootfs", fixture.Image, "--anonymous");
        created.ExitCode.ShouldBe(0, created.Stderr);
        using var anonymous = new ForgelineClient(server.Url, null);
        var none = await Should.ThrowAsync<ForgelineApiException>(() => anonymous.StartPlaygroundSessionAsync("remote"));
        none.Message.ShouldContain("no playground host is running");

        var token = (await admin.CreateTokenAsync(new Core.Tokens.CreateTokenRequest("host-a", ["playground-host"]))).Token;
        var port = ForgelineServer.FreePort();
        await using var host = ForgelineProcess.Start(
            ["playground-host", "--server", server.Url.ToString(), "--token", token, "--name", "host-a", "--listen", $"http://127.0.0.1:{port}", "--max-sessions", "2", "--data", server.Home["host-a"]],
            new Dictionary<string, string?>(server.Environment));
        var session = await RetryAsync(() => anonymous.StartPlaygroundSessionAsync("remote"));
        session.Host.ShouldBe("host-a");
        await using var terminal = await PlaygroundTerminal.ConnectAsync(server.Url, session.Terminal!);
        await terminal.TypeAsync("echo FROM''-THE-HOST; uname -n\r");
        var at = await terminal.WaitForAsync("FROM-THE-HOST\r\n");
        await terminal.WaitForAsync("playground", at);
        await terminal.ResizeAsync(0, 0);
        (await terminal.WaitForControlAsync("error")).GetProperty("message").GetString()!.ShouldContain("cannot resize to 0×0");
        await terminal.TypeAsync("sleep 4321 & exit\r");

        (await terminal.WaitForControlAsync("ended")).GetProperty("reason").GetString().ShouldBe("the shell ended");
        await HostProcesses.WaitForAsync("sleep 4321", 0, TimeSpan.Zero);

        // The host answers its server only: without the secret it sent the server, nothing.
        using var stranger = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        (await stranger.GetAsync("sessions")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        stranger.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        (await stranger.PostAsJsonAsync("sessions", new { id = "mine" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> action)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return await action();
            }
            catch (ForgelineApiException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task EnsureEnvironmentAsync(string name, bool anonymous = false)
    {
        var args = new List<string> { "playground", "env", "create", name, "--rootfs", fixture.Image };
        if (anonymous)
        {
            args.Add("--anonymous");
        }

        var created = await Server.CliAsync([.. args]);
        created.ExitCode.ShouldBe(0, created.Stderr);
    }

    /// <summary>A server whose own playground host runs <see cref="Capacity"/> sessions, and the test image.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        /// <summary>Sessions the server's host runs at once.</summary>
        public const int Capacity = 3;

        public ForgelineServer Server { get; private set; } = null!;

        public string Image { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Image = await PlaygroundTestImage.GetAsync();
            Server = await ForgelineServer.StartAsync(embeddedWorker: false, new Dictionary<string, string?>
            {
                ["Forgeline__Playground__Host__MaxSessions"] = Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        public async Task DisposeAsync() => await Server.DisposeAsync();

        /// <summary>Ends every session the other tests left, and waits until the host has room for all of them again.</summary>
        public async Task EndEverySessionAsync()
        {
            using var admin = Server.Client();
            foreach (var session in (await admin.ListPlaygroundSessionsAsync()).Where(s => s.State != PlaygroundSessionStates.Ended))
            {
                await admin.EndPlaygroundSessionAsync(session.Id);
            }

            using var http = new HttpClient { BaseAddress = Server.Url };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Server.AdminToken);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((await http.GetStringAsync("api/v1/playground/hosts")).Contains("\"sessions\": 0", StringComparison.Ordinal) is false)
            {
                DateTime.UtcNow.ShouldBeLessThan(deadline, "the host did not let go of the ended sessions");
                await Task.Delay(50);
            }
        }

        /// <summary>A build token of its own, named after <paramref name="name"/> (unique per call): someone who is not an admin.</summary>
        public async Task<string> UserTokenAsync(string name)
        {
            var user = $"{name}{Guid.NewGuid():N}"[..20];
            var token = await Server.CliAsync("token", "create", user, "--scope", "build", "--json");
            token.ExitCode.ShouldBe(0, token.Stderr);
            return System.Text.Json.JsonDocument.Parse(token.Stdout).RootElement.GetProperty("token").GetString()!;
        }
    }
}
