using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Forgeline.Core.Playground;
using Forgeline.Playground.Terminal;
using Microsoft.Extensions.Logging;

namespace Forgeline.Playground.Sessions;

/// <summary>
/// One running session on a host: a shell on a pseudo-terminal in its sandbox and cgroup, and at most one browser
/// attached to it at a time. The terminal's output is read on a thread of its own and sent to the browser one message
/// after another, each awaited: a slow browser stops the reading, the terminal's kernel buffer fills, and the shell
/// waits. Nothing is queued without bound, whatever the browser does. The last <see cref="ReplayBytes"/> of output are
/// kept, so a reload shows the screen again.
/// </summary>
public sealed partial class PlaygroundSession : IAsyncDisposable
{
    /// <summary>Output kept for a browser that attaches again.</summary>
    public const int ReplayBytes = 64 * 1024;

    /// <summary>The largest message a browser may send (a paste); larger closes its socket with 1009.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>The largest terminal, in columns.</summary>
    public const int MaxColumns = 1000;

    /// <summary>The largest terminal, in rows.</summary>
    public const int MaxRows = 500;

    private const int ReadBytes = 16 * 1024;

    private readonly PseudoTerminal terminal;
    private readonly SessionCgroup cgroup;
    private readonly PlaygroundLimits limits;
    private readonly bool keepsHome;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly byte[] replay = new byte[ReplayBytes];
    private readonly Channel<byte[]> input = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(64) { SingleReader = true });
    private readonly TaskCompletionSource<string> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ITimer timer;
    private int replayLength;
    private int replayStart;
    private Attachment? attachment;
    private DateTimeOffset? detachedAt;
    private DateTimeOffset lastInput;
    private int ending;
    private string? endedBecause;
    private Action<string, string>? onEnded;

    private PlaygroundSession(
        string id, string environment, string owner, PseudoTerminal terminal, SessionCgroup cgroup, PlaygroundLimits limits, bool keepsHome, TimeProvider time, ILogger logger)
    {
        Id = id;
        Environment = environment;
        Owner = owner;
        this.terminal = terminal;
        this.cgroup = cgroup;
        this.limits = limits;
        this.keepsHome = keepsHome;
        this.time = time;
        this.logger = logger;
        StartedAt = time.GetUtcNow();
        lastInput = StartedAt;
        detachedAt = StartedAt;
        timer = time.CreateTimer(_ => CheckTimes(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The session's id.</summary>
    public string Id { get; }

    /// <summary>Its environment.</summary>
    public string Environment { get; }

    /// <summary>Who started it.</summary>
    public string Owner { get; }

    /// <summary>When its shell started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Why it ended, once it has.</summary>
    public string? EndReason => ended.Task.IsCompleted ? ended.Task.Result : null;

    /// <summary>Completes with the reason when the session has ended and nothing of it is left.</summary>
    public Task<string> Ended => ended.Task;

    /// <summary>What it uses now.</summary>
    public PlaygroundUsage Usage => cgroup.Usage();

    /// <summary>The pid of the session's first process (on the host).</summary>
    public int ProcessId => terminal.ProcessId;

    /// <summary>
    /// Starts a session: a cgroup with <paramref name="limits"/>, a pseudo-terminal, and <paramref name="command"/>
    /// (the sandbox's command line) joining the cgroup before it runs. <paramref name="welcome"/> is the first output;
    /// <paramref name="onEnded"/> hears the id and the reason once nothing of the session is left, before <see cref="Ended"/> completes.
    /// </summary>
    public static PlaygroundSession Start(
        string id, string environment, string owner, IReadOnlyList<string> command, PlaygroundLimits limits, string? welcome, bool keepsHome,
        CgroupLayout cgroups, TimeProvider time, ILogger logger, Action<string, string>? onEnded = null)
    {
        var cgroup = SessionCgroup.Create(cgroups, id, limits);
        PseudoTerminal? terminal = null;
        try
        {
            terminal = new PseudoTerminal(80, 24);
            terminal.Start(cgroup.JoinCommand(command), new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" });
        }
        catch
        {
            terminal?.Dispose();
            cgroup.Dispose();
            throw;
        }

        var session = new PlaygroundSession(id, environment, owner, terminal, cgroup, limits, keepsHome, time, logger) { onEnded = onEnded };
        if (!string.IsNullOrEmpty(welcome))
        {
            session.Remember(Encoding.UTF8.GetBytes(welcome.ReplaceLineEndings("\r\n").TrimEnd() + "\r\n\r\n"));
        }

        new Thread(session.ReadOutput) { IsBackground = true, Name = $"playground-out-{id}" }.Start();
        new Thread(session.WriteInput) { IsBackground = true, Name = $"playground-in-{id}" }.Start();
        _ = session.WatchExitAsync();
        return session;
    }

    /// <summary>Ends the session with <paramref name="reason"/>: the browser is told, every process is killed, the disk is gone.</summary>
    public Task<string> EndAsync(string reason)
    {
        if (Interlocked.Exchange(ref ending, 1) == 0)
        {
            _ = Task.Run(() => EndCoreAsync(reason));
        }

        return ended.Task;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await EndAsync("the playground host stopped");

    private async Task EndCoreAsync(string reason)
    {
        await timer.DisposeAsync();
        if (keepsHome)
        {
            // Hang up first: the shell ends as on a closed terminal, and the session's first process packs the home.
            _ = Signals.Kill(terminal.ProcessId, Signals.SigHangUp);
            await terminal.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        cgroup.KillAll();
        terminal.Dispose();
        await terminal.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        input.Writer.TryComplete();
        cgroup.Dispose();

        // Only now is the browser told: "ended" means nothing of the session is left.
        Attachment? current;
        lock (gate)
        {
            endedBecause = reason;
            current = attachment;
        }

        if (current is not null)
        {
            current.Ended = reason;
            current.Detach();
        }

        LogEnded(Id, reason);
        onEnded?.Invoke(Id, reason);
        ended.TrySetResult(reason);
    }

    private async Task WatchExitAsync()
    {
        var status = await terminal.WaitForExitAsync();
        // Let the reader pass on the last output before the browser hears the session ended.
        await Task.Delay(50, CancellationToken.None);
        // A shell that exits normally (exit, Ctrl+D) ends with 0; anything else is worth saying, e.g. a sandbox that
        // could not start (its message is the terminal's last output).
        var code = (status >> 8) & 0xff;
        var signal = status & 0x7f;
        await EndAsync(status == 0 ? "the shell ended"
            : signal != 0 ? $"the shell ended (killed by signal {signal})"
            : $"the shell ended (exit status {code}{(code > 1 ? ": " + LastLine() : "")})");
    }

    /// <summary>The terminal's recent output as text (what a reload would show), for diagnosis.</summary>
    internal string RecentOutput
    {
        get
        {
            lock (gate)
            {
                return Encoding.UTF8.GetString(ReplayCopy());
            }
        }
    }

    private string LastLine() =>
        RecentOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault() is { } line
            ? line.Length > 200 ? line[..200] : line
            : "no output";

    private void CheckTimes()
    {
        var now = time.GetUtcNow();
        DateTimeOffset? detached;
        DateTimeOffset typed;
        lock (gate)
        {
            detached = detachedAt;
            typed = lastInput;
        }

        if (now - StartedAt >= TimeSpan.FromMinutes(limits.MaxMinutes))
        {
            _ = EndAsync($"it reached its time limit of {limits.MaxMinutes} minutes");
        }
        else if (now - typed >= TimeSpan.FromMinutes(limits.IdleMinutes))
        {
            _ = EndAsync($"nobody typed for {limits.IdleMinutes} minutes");
        }
        else if (detached is { } since && now - since >= TimeSpan.FromSeconds(limits.GraceSeconds))
        {
            _ = EndAsync($"its browser did not come back within {limits.GraceSeconds} seconds");
        }
    }

    // On a thread of its own: reading a terminal blocks, and thread-pool threads blocked on terminals starve every other session.
    private void ReadOutput()
    {
        var buffer = new byte[ReadBytes];
        while (true)
        {
            int read;
            try
            {
                read = terminal.Master.Read(buffer, 0, buffer.Length);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // EIO: no process holds the terminal any more.
                return;
            }

            if (read <= 0)
            {
                return;
            }

            var chunk = buffer.AsSpan(0, read).ToArray();
            Attachment? current;
            lock (gate)
            {
                Remember(chunk);
                current = attachment;
            }

            if (current is null)
            {
                continue;
            }

            try
            {
                // The backpressure: wait until the browser took the previous output.
                current.Outgoing.Writer.WriteAsync(chunk, current.Stop.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
            }
        }
    }

    private void WriteInput()
    {
        var reader = input.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var keys))
            {
                try
                {
                    terminal.Master.Write(keys);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    return;
                }
            }
        }
    }

    // Under gate (or before the session is shared).
    private void Remember(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= replay.Length)
        {
            chunk[^replay.Length..].CopyTo(replay);
            replayStart = 0;
            replayLength = replay.Length;
            return;
        }

        foreach (var b in chunk)
        {
            replay[(replayStart + replayLength) % replay.Length] = b;
            if (replayLength < replay.Length)
            {
                replayLength++;
            }
            else
            {
                replayStart = (replayStart + 1) % replay.Length;
            }
        }
    }

    private byte[] ReplayCopy()
    {
        var copy = new byte[replayLength];
        for (var i = 0; i < replayLength; i++)
        {
            copy[i] = replay[(replayStart + i) % replay.Length];
        }

        return copy;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Playground session {Session} ended: {Reason}")]
    private partial void LogEnded(string session, string reason);
}
