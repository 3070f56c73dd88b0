using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Forgeline.Core.Playground;
using Forgeline.Playground.Hosting;
using Forgeline.Playground.Sessions;
using Forgeline.Testing;
using Forgeline.Testing.Playground;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forgeline.Playground.Tests;

/// <summary>
/// Sessions on a playground host, through the WebSocket a browser would use: a real shell in the image, its limits
/// tried by breaking them (fork bomb, disk fill), each session alone, and nothing left once it ends.
/// </summary>
public sealed class PlaygroundHostTests : IClassFixture<SessionSandboxTests.Image>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly SessionSandboxTests.Image image;
    private readonly TempDirectory data = new("forgeline-playground-host");
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private PlaygroundHost host = null!;

    public PlaygroundHostTests(SessionSandboxTests.Image image) => this.image = image;

    public Task InitializeAsync()
    {
        host = new PlaygroundHost(
            new PlaygroundHostOptions { DataDirectory = data.Path, MaxSessions = 3 },
            (_, _, _) => Task.FromResult<IReadOnlyList<string>>([image.Root]),
            time,
            NullLoggerFactory.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task A_browser_types_into_a_real_shell_and_reads_the_answer()
    {
        await StartAsync("s-echo", welcome: "Welcome to the git course!");
        await using var browser = await AttachAsync("s-echo");

        await browser.WaitForAsync("Welcome to the git course!");
        await browser.TypeAsync("echo hel''lo; uname -s; tty -s && echo TERMI''NAL\r");

        var at = await browser.WaitForAsync("hello\r\n");
        await browser.WaitForAsync("Linux", at);
        await browser.WaitForAsync("TERMINAL", at);
    }

    [Fact]
    public async Task A_resize_reaches_the_shell_and_a_bad_one_is_refused_with_a_message()
    {
        await StartAsync("s-size");
        await using var browser = await AttachAsync("s-size");

        await browser.ResizeAsync(0, 0);
        (await browser.WaitForControlAsync("error")).GetProperty("message").GetString()!.ShouldContain("cannot resize to 0×0");
        await browser.ResizeAsync(100000, 100000);
        await browser.SendTextAsync("not json");
        await browser.ResizeAsync(132, 40);
        await browser.TypeAsync("stty size\r");

        await browser.WaitForAsync("40 132");
        browser.Controls.Count(c => c.GetProperty("type").GetString() == "error").ShouldBe(3);
    }

    [Fact]
    public async Task A_fork_bomb_stops_at_the_process_limit_and_the_session_still_ends_cleanly()
    {
        var session = await StartAsync("s-bomb", new PlaygroundLimits(Processes: 64));
        await using var browser = await AttachAsync("s-bomb");
        await browser.TypeAsync("bomb() { bomb | bomb & }; bomb 2>/dev/null; sleep 2; echo BOMB-SET''-OFF\r");
        await browser.WaitForAsync("BOMB-SET-OFF\r\n");

        session.Usage.Processes.ShouldBeLessThanOrEqualTo(64);
        var pid = session.ProcessId;
        await host.EndAsync("s-bomb", "test over");

        (await session.Ended.WaitAsync(Patience)).ShouldBe("test over");
        Directory.Exists($"/proc/{pid}").ShouldBeFalse("every process of the session is gone");
        host.List().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_session_cannot_fill_more_disk_than_its_quota()
    {
        await StartAsync("s-disk", new PlaygroundLimits(DiskMegabytes: 8));
        await using var browser = await AttachAsync("s-disk");

        await browser.TypeAsync("head -c 20000000 /dev/zero > big || echo DISK''-FULL\r");

        await browser.WaitForAsync("DISK-FULL\r\n");
        browser.Output.ShouldContain("No space left on device");
    }

    [Fact]
    public async Task Two_sessions_cannot_see_each_others_files_or_processes()
    {
        await StartAsync("s-one");
        await StartAsync("s-two");
        await using var one = await AttachAsync("s-one");
        await using var two = await AttachAsync("s-two");
        await one.TypeAsync("echo secret > /tmp/mine; echo secret > ~/mine; sleep 300 & echo ONE''-READY\r");
        await one.WaitForAsync("ONE-READY\r\n");

        await two.TypeAsync("cat /tmp/mine ~/mine 2>/dev/null | grep -c secret; for p in /proc/[0-9]*; do cat $p/cmdline; echo; done | grep -c '[s]leep'; echo TWO''-DONE\r");

        var at = await two.WaitForAsync("TWO-DONE\r\n");
        var lines = two.Output[..at].Split("\r\n");
        lines[^4..^2].ShouldBe(["0", "0"], "neither the other session's files nor its sleep are visible");
    }

    [Fact]
    public async Task A_closed_tab_ends_the_session_after_its_grace_period_and_a_reload_in_time_finds_the_screen_again()
    {
        var session = await StartAsync("s-tab", new PlaygroundLimits(GraceSeconds: 30));
        var first = await AttachAsync("s-tab");
        await first.TypeAsync("echo BEFORE''-RELOAD\r");
        await first.WaitForAsync("BEFORE-RELOAD\r\n");
        await first.CloseAsync();
        await first.Closed.WaitAsync(Patience);
        await first.DisposeAsync();

        time.Advance(TimeSpan.FromSeconds(20));
        await using (var reloaded = await AttachAsync("s-tab"))
        {
            await reloaded.WaitForAsync("BEFORE-RELOAD\r\n");
            await reloaded.CloseAsync();
            await reloaded.Closed.WaitAsync(Patience);
        }

        // The host may see the tab close a moment after the browser does: the clock moves on until the grace period has
        // passed since then (each step well under the idle limit).
        for (var step = 0; step < 10 && !session.Ended.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromSeconds(31));
            await Task.WhenAny(session.Ended, Task.Delay(TimeSpan.FromMilliseconds(500)));
        }

        (await session.Ended.WaitAsync(Patience)).ShouldContain("did not come back within 30 seconds");
        Directory.Exists($"/proc/{session.ProcessId}").ShouldBeFalse();
    }

    [Fact]
    public async Task A_second_window_takes_the_terminal_over_and_the_first_is_told()
    {
        await StartAsync("s-two-windows");
        await using var first = await AttachAsync("s-two-windows");
        await first.TypeAsync("echo FIR''ST\r");
        await first.WaitForAsync("FIRST\r\n");

        await using var second = await AttachAsync("s-two-windows");

        await first.Closed.WaitAsync(Patience);
        first.Controls.ShouldContain(c => c.GetProperty("message").GetString()!.Contains("another window"));
        await second.TypeAsync("echo SEC''OND\r");
        await second.WaitForAsync("SECOND\r\n");
    }

    [Fact]
    public async Task Idle_and_overlong_sessions_end_on_their_own()
    {
        var idle = await StartAsync("s-idle", new PlaygroundLimits(IdleMinutes: 5, MaxMinutes: 60));
        var typing = await StartAsync("s-typing", new PlaygroundLimits(IdleMinutes: 5, MaxMinutes: 9));
        await using var browser = await AttachAsync("s-typing");
        await using var idleBrowser = await AttachAsync("s-idle");

        time.Advance(TimeSpan.FromMinutes(4));
        await browser.TypeAsync("echo STILL''-HERE\r");
        await browser.WaitForAsync("STILL-HERE\r\n");
        time.Advance(TimeSpan.FromMinutes(2));

        (await idle.Ended.WaitAsync(Patience)).ShouldBe("nobody typed for 5 minutes");
        (await idleBrowser.WaitForControlAsync("ended")).GetProperty("reason").GetString().ShouldBe("nobody typed for 5 minutes");
        typing.EndReason.ShouldBeNull();
        time.Advance(TimeSpan.FromMinutes(3));
        await browser.TypeAsync("\r");
        (await typing.Ended.WaitAsync(Patience)).ShouldBe("it reached its time limit of 9 minutes");
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_the_socket_and_the_session_lives_on()
    {
        var session = await StartAsync("s-flood");
        var browser = await AttachAsync("s-flood");
        await browser.TypeAsync(new string('x', PlaygroundSession.MaxMessageBytes + 1));

        await browser.Closed.WaitAsync(Patience);
        browser.CloseStatus.ShouldBe(WebSocketCloseStatus.MessageTooBig);
        await browser.DisposeAsync();
        session.EndReason.ShouldBeNull();
        await using var again = await AttachAsync("s-flood");
        await again.TypeAsync("echo ALI''VE\r");
        await again.WaitForAsync("ALIVE\r\n");
    }

    [Fact]
    public async Task A_flood_of_keystrokes_is_taken_at_the_shells_pace_without_losing_the_session()
    {
        await StartAsync("s-keys");
        await using var browser = await AttachAsync("s-keys");
        await browser.TypeAsync("cat > /dev/null\r");
        var chunk = new string('k', 4096) + "\r";
        for (var i = 0; i < 2000; i++)
        {
            await browser.TypeAsync(chunk);
        }

        await browser.TypeAsync("\u0004");
        await browser.TypeAsync("echo SURV''IVED\r");

        await browser.WaitForAsync("SURVIVED\r\n", timeout: TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_browser_that_stops_reading_stops_the_shell_instead_of_filling_the_servers_memory()
    {
        var session = await StartAsync("s-slow");
        var (socket, server) = await ConnectAsync("s-slow");
        using (server)
        {
            // This browser types, then never reads again: `yes` writes as fast as it can.
            await socket.SendAsync("yes\r"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var used = session.Usage.CpuSeconds;
            var settled = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            double previous;
            do
            {
                // Once the socket's buffers are full, yes waits on the terminal and uses no more CPU.
                previous = used;
                await Task.Delay(TimeSpan.FromSeconds(1));
                used = session.Usage.CpuSeconds;
            }
            while (used - previous > 0.05 && DateTime.UtcNow < settled);

            (used - previous).ShouldBeLessThan(0.05, "yes is blocked: nothing more is read from the terminal while the browser does not read");
            (GC.GetTotalMemory(forceFullCollection: true) - before).ShouldBeLessThan(16L * 1024 * 1024, "the host holds at most one message for a browser");
            socket.Abort();
        }

        await host.EndAsync("s-slow", "test over");
        await session.Ended.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_session_no_browser_ever_attaches_to_ends_after_its_grace_period()
    {
        var session = await StartAsync("s-never", new PlaygroundLimits(GraceSeconds: 10));

        time.Advance(TimeSpan.FromSeconds(11));

        (await session.Ended.WaitAsync(Patience)).ShouldBe("its browser did not come back within 10 seconds", $"the terminal showed:\n{session.RecentOutput}");
        host.List().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_session_without_an_allow_list_has_no_network_and_one_with_reaches_only_what_it_allows()
    {
        using var mirror = new TcpListener(IPAddress.Loopback, 0);
        using var other = new TcpListener(IPAddress.Loopback, 0);
        mirror.Start();
        other.Start();
        var mirrorPort = ((IPEndPoint)mirror.LocalEndpoint).Port;
        var otherPort = ((IPEndPoint)other.LocalEndpoint).Port;
        var probe = $"for p in {mirrorPort} {otherPort}; do (echo hi > /dev/tcp/{SessionNetwork.HostName}/$p) 2>/dev/null && echo \"open $p\" || echo \"closed $p\"; done; " +
            "(echo hi > /dev/tcp/10.255.255.53/53) 2>/dev/null && echo open-outside || echo closed-outside; echo PROBE''-DONE\r";

        await StartAsync("s-offline");
        await using (var offline = await AttachAsync("s-offline"))
        {
            await offline.TypeAsync(probe);
            var at = await offline.WaitForAsync("PROBE-DONE\r\n");
            offline.Output[..at].ShouldContain($"closed {mirrorPort}");
            offline.Output[..at].ShouldContain("closed-outside");
        }

        var session = await StartAsync("s-mirror", definition: Definition() with { Network = [$"127.0.0.1:{mirrorPort}"] });
        await using var online = await AttachAsync("s-mirror");
        await online.TypeAsync(probe);

        var done = await online.WaitForAsync("PROBE-DONE\r\n", timeout: TimeSpan.FromSeconds(60));
        var seen = online.Output[..done];
        seen.ShouldContain($"open {mirrorPort}");
        seen.ShouldContain($"closed {otherPort}");
        seen.ShouldContain("closed-outside");
        mirror.Pending().ShouldBeTrue("the allowed endpoint was reached");
        other.Pending().ShouldBeFalse();
        seen.ShouldNotContain("uid_map", customMessage: "the user-mode network's own messages stay off the learner's terminal");
        await online.TypeAsync("exit\r");
        (await session.Ended.WaitAsync(Patience)).ShouldBe("the shell ended");
    }

    [Fact]
    public async Task The_host_refuses_more_sessions_than_it_may_run()
    {
        await StartAsync("s-full-1");
        await StartAsync("s-full-2");
        await StartAsync("s-full-3");

        var refused = await Should.ThrowAsync<PlaygroundHostException>(() => StartAsync("s-full-4"));

        refused.Message.ShouldContain("runs its most sessions (3)");
    }

    [Fact]
    public async Task A_kept_home_comes_back_in_the_next_session()
    {
        var definition = Definition() with { HomeMegabytes = 4 };
        var first = await StartAsync("s-home-1", definition: definition, keepHome: true);
        await using (var browser = await AttachAsync("s-home-1"))
        {
            await browser.TypeAsync("echo remembered > notes.txt; exit\r");
            await first.Ended.WaitAsync(Patience);
        }

        await StartAsync("s-home-2", definition: definition, keepHome: true);
        await using var again = await AttachAsync("s-home-2");
        await again.TypeAsync("cat notes.txt\r");

        await again.WaitForAsync("remembered\r\n");
    }

    private static PlaygroundEnvironmentDefinition Definition(PlaygroundLimits? limits = null, string? welcome = null) =>
        new("Test", welcome, null, new PlaygroundImageDefinition(Rootfs: "/unused"), limits);

    private async Task<PlaygroundSession> StartAsync(
        string id, PlaygroundLimits? limits = null, string? welcome = null, PlaygroundEnvironmentDefinition? definition = null, bool keepHome = false)
    {
        await host.StartAsync(new HostStartRequest(id, "test", definition ?? Definition(limits, welcome), "alice", keepHome), null, CancellationToken.None);
        return host.Find(id)!;
    }

    private async Task<TerminalClient> AttachAsync(string id) => new((await ConnectAsync(id)).Browser);

    // The browser's end of a fresh socket pair whose server end the host carries the session's terminal over.
    private async Task<(WebSocket Browser, TcpClient Server)> ConnectAsync(string id)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        var serverSocket = WebSocket.CreateFromStream(server.GetStream(), isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        var clientSocket = WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        _ = Task.Run(() => host.AttachAsync(id, serverSocket, CancellationToken.None));
        return (clientSocket, server);
    }
}
