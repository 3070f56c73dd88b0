using System.Collections.Concurrent;
using System.Net.WebSockets;
using Forgeline.Core.Playground;
using Forgeline.Playground.Sessions;
using Microsoft.Extensions.Logging;

namespace Forgeline.Playground.Hosting;

/// <summary>Builds (or finds in its cache) an environment's image on this host and returns its layers, top first.</summary>
public delegate Task<IReadOnlyList<string>> ImageSource(PlaygroundImageDefinition image, IProgress<string>? progress, CancellationToken cancellationToken);

/// <summary>
/// The sessions of one machine: what <c>forgeline playground-host</c> runs, and what <c>forgeline server</c> runs
/// inside itself when no host is configured. It starts sessions from environments' cached images, ends them, carries
/// their terminals, and refuses more than <see cref="PlaygroundHostOptions.MaxSessions"/>.
/// </summary>
public sealed partial class PlaygroundHost : IAsyncDisposable
{
    private readonly PlaygroundHostOptions options;
    private readonly ImageSource images;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly ILogger<PlaygroundHost> logger;
    private readonly ConcurrentDictionary<string, Entry> sessions = new(StringComparer.Ordinal);
    private readonly Lazy<(CgroupLayout? Layout, string? Problem)> cgroups;
    private readonly Lock gate = new();

    /// <summary>Makes a host keeping its data in <see cref="PlaygroundHostOptions.DataDirectory"/>.</summary>
    public PlaygroundHost(PlaygroundHostOptions options, ImageSource images, TimeProvider time, ILoggerFactory loggers)
    {
        this.options = options;
        this.images = images;
        this.time = time;
        this.loggers = loggers;
        logger = loggers.CreateLogger<PlaygroundHost>();
        cgroups = new Lazy<(CgroupLayout?, string?)>(() => CgroupLayout.Detect(options.CgroupBase));
        Directory.CreateDirectory(MountPoint);
    }

    /// <summary>A session ended on this host (its shell ended, a limit, or <see cref="EndAsync"/>).</summary>
    public event Action<string, string>? SessionEnded;

    /// <summary>How many sessions it runs at most.</summary>
    public int Capacity => options.MaxSessions;

    /// <summary>How many sessions it runs or starts now.</summary>
    public int Count => sessions.Count;

    private string MountPoint => Path.Combine(options.DataDirectory, "mnt");

    /// <summary>
    /// Starts a session: builds the environment's image if this host has none yet (reporting progress), then the
    /// shell in its sandbox. Throws <see cref="PlaygroundHostException"/> when the host is full or cannot run sessions.
    /// </summary>
    public async Task<HostSessionDto> StartAsync(HostStartRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var (layout, problem) = cgroups.Value;
        if (layout is null)
        {
            throw new PlaygroundHostException($"this host cannot run sessions: {problem}");
        }

        var entry = new Entry(request);
        lock (gate)
        {
            if (sessions.Count >= options.MaxSessions)
            {
                throw new PlaygroundHostException($"this host runs its most sessions ({options.MaxSessions})");
            }

            if (!sessions.TryAdd(request.Id, entry))
            {
                throw new PlaygroundHostException($"session {request.Id} already exists on this host");
            }
        }

        try
        {
            var layers = await images(request.Definition.Image, progress, cancellationToken);
            var limits = request.Definition.Limits ?? PlaygroundLimits.Default;
            var keptHome = request.KeepHome && request.Definition.HomeMegabytes is > 0 ? KeptHome(request.Environment, request.Owner) : null;
            var shell = layers.Any(l => File.Exists(Path.Combine(l, "usr/bin/bash")) || File.Exists(Path.Combine(l, "bin/bash"))) ? "/bin/bash" : "/bin/sh";
            SessionNetwork? network;
            try
            {
                network = await SessionNetwork.ResolveAsync(request.Definition.Network, cancellationToken);
            }
            catch (IOException e)
            {
                throw new PlaygroundHostException(e.Message);
            }

            var command = SessionSandbox.CommandLine(layers, MountPoint, limits.DiskMegabytes, [shell, "-l"], keptHome, request.Definition.HomeMegabytes ?? 0, network);
            cancellationToken.ThrowIfCancellationRequested();
            var session = PlaygroundSession.Start(
                request.Id, request.Environment, request.Owner, command, limits, request.Definition.Welcome, keptHome is not null, layout, time, loggers.CreateLogger<PlaygroundSession>(), Forget);
            entry.Session = session;
            LogStarted(request.Id, request.Environment, request.Owner, session.ProcessId);
            return Describe(entry);
        }
        catch
        {
            sessions.TryRemove(request.Id, out _);
            throw;
        }
    }

    /// <summary>The sessions it runs, with what each uses.</summary>
    public IReadOnlyList<HostSessionDto> List() => sessions.Values.Select(Describe).OrderBy(s => s.StartedAt).ToList();

    /// <summary>The running session <paramref name="id"/>, or null.</summary>
    public PlaygroundSession? Find(string id) => sessions.TryGetValue(id, out var entry) ? entry.Session : null;

    /// <summary>Carries the terminal of session <paramref name="id"/> over <paramref name="socket"/>; false when there is no such session.</summary>
    public async Task<bool> AttachAsync(string id, WebSocket socket, CancellationToken cancellationToken)
    {
        if (Find(id) is not { } session)
        {
            return false;
        }

        await session.AttachAsync(socket, cancellationToken);
        return true;
    }

    /// <summary>Ends session <paramref name="id"/>; false when there is no such session.</summary>
    public async Task<bool> EndAsync(string id, string reason)
    {
        if (Find(id) is not { } session)
        {
            return false;
        }

        await session.EndAsync(reason);
        return true;
    }

    /// <summary>Ends every session: nothing of them outlives the host.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(sessions.Values.Select(e => e.Session).OfType<PlaygroundSession>().Select(s => s.EndAsync("the playground host stopped")));
    }

    private string KeptHome(string environment, string owner)
    {
        var directory = Path.Combine(options.DataDirectory, "homes", environment, owner);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    private void Forget(string id, string reason)
    {
        sessions.TryRemove(id, out _);
        SessionEnded?.Invoke(id, reason);
    }

    private static HostSessionDto Describe(Entry entry) => entry.Session is { } session
        ? new HostSessionDto(session.Id, session.Environment, session.Owner, session.EndReason is null ? PlaygroundSessionStates.Running : PlaygroundSessionStates.Ended,
            session.StartedAt.UtcDateTime, session.EndReason, session.EndReason is null ? session.Usage : null)
        : new HostSessionDto(entry.Request.Id, entry.Request.Environment, entry.Request.Owner, PlaygroundSessionStates.Starting, null, null, null);

    [LoggerMessage(Level = LogLevel.Information, Message = "Playground session {Session} of {Environment} started for {Owner} (pid {Pid})")]
    private partial void LogStarted(string session, string environment, string owner, int pid);

    private sealed class Entry(HostStartRequest request)
    {
        public HostStartRequest Request { get; } = request;

        public PlaygroundSession? Session { get; set; }
    }
}

/// <summary>Where a host keeps its images, kept homes and mount point, and how many sessions it runs.</summary>
public sealed class PlaygroundHostOptions
{
    /// <summary>The settings section: <c>Forgeline:Playground:Host</c>.</summary>
    public const string Section = "Forgeline:Playground:Host";

    /// <summary>The host's data directory.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>The most sessions at once.</summary>
    public int MaxSessions { get; set; } = 16;

    /// <summary>A delegated cgroup v2 directory to put sessions under; null for the process's own.</summary>
    public string? CgroupBase { get; set; }
}

/// <summary>The host cannot start a session, and why (full, no cgroups, no such image).</summary>
public sealed class PlaygroundHostException(string message) : Exception(message);
