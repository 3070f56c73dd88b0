using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Forgeline.Core;
using System.Data.Common;
using Forgeline.Core.MessageCenter;
using Forgeline.Core.Playground;
using Forgeline.Data;
using Forgeline.Data.Outbox;
using Forgeline.Playground.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Playground.Server;

/// <summary>The <c>data</c> of the playground's CloudEvents.</summary>
/// <param name="Id">The session.</param>
/// <param name="Environment">Its environment.</param>
/// <param name="Owner">Who started it (a user name or <c>anonymous</c>).</param>
/// <param name="Host">The playground host it ran on.</param>
/// <param name="CreatedAt">When it was asked for.</param>
/// <param name="StartedAt">When its shell started.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="Reason">Why it ended.</param>
public sealed record PlaygroundSessionEvent(string Id, string Environment, string Owner, string? Host, DateTime CreatedAt, DateTime? StartedAt, DateTime? EndedAt, string? Reason);

/// <summary>Who asks the playground for something.</summary>
/// <param name="Owner">A user name, or <c>anonymous</c>.</param>
/// <param name="SignedIn">Whether a person signed in (or uses their token).</param>
/// <param name="IsAdmin">Whether they may see and end everyone's sessions.</param>
/// <param name="LimitKey">What the per-person limit counts by: the user name, or <c>anonymous@ADDRESS</c>.</param>
public sealed record PlaygroundCaller(string Owner, bool SignedIn, bool IsAdmin, string LimitKey);

/// <summary>
/// The server's side of the playground: which sessions exist, where each runs, and who waits. A start goes to the
/// host with the most room; when every host is full it waits in a queue (first come, first served) and the browser
/// is told its place; beyond <see cref="PlaygroundOptions.MaxQueue"/> it is refused. Each person may have
/// <see cref="PlaygroundOptions.SessionsPerUser"/> sessions. Sessions live on their hosts; the broker keeps only where
/// they are and their secret key, in memory.
/// </summary>
public sealed partial class PlaygroundBroker : IAsyncDisposable
{
    private static readonly TimeSpan KeepEnded = TimeSpan.FromMinutes(10);
    private readonly PlaygroundOptions options;
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly ILogger<PlaygroundBroker> logger;
    private readonly Lock gate = new();
    private readonly Dictionary<string, IPlaygroundHostClient> hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> hostSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> sessions = new(StringComparer.Ordinal);
    private readonly List<Entry> queue = [];
    private readonly ITimer timer;

    /// <summary>Makes the broker; it checks its sessions and hosts every second.</summary>
    public PlaygroundBroker(IOptions<PlaygroundOptions> options, IServiceScopeFactory scopes, TimeProvider time, ILogger<PlaygroundBroker> logger)
    {
        this.options = options.Value;
        this.scopes = scopes;
        this.time = time;
        this.logger = logger;
        timer = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Adds a host that never times out (the server's own).</summary>
    public void AddHost(IPlaygroundHostClient host)
    {
        lock (gate)
        {
            hosts[host.Name] = host;
        }

        PlaceQueued();
    }

    /// <summary>The hosts, with their capacity and how many sessions each runs.</summary>
    public IReadOnlyList<(string Name, int Capacity, int Sessions)> Hosts()
    {
        lock (gate)
        {
            return hosts.Values.Select(h => (h.Name, h.Capacity, ActiveOn(h))).OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Asks for a session of <paramref name="environment"/>: placed on a host at once, queued, or refused.</summary>
    public async Task<ServiceResult<PlaygroundSessionDto>> StartAsync(string environment, PlaygroundCaller caller, CancellationToken cancellationToken)
    {
        PlaygroundEnvironmentDto? found;
        await using (var scope = scopes.CreateAsyncScope())
        {
            found = await scope.ServiceProvider.GetRequiredService<PlaygroundEnvironmentService>().FindAsync(environment, cancellationToken);
        }

        if (found is null)
        {
            return Fail(ServiceError.NotFound, $"there is no playground environment '{environment}'");
        }

        if (!found.Definition.Anonymous && !caller.SignedIn)
        {
            return Fail(ServiceError.Unauthorized, $"sign in to use the environment '{environment}'");
        }

        var now = time.GetUtcNow();
        var entry = new Entry(Guid.NewGuid().ToString("N")[..16], found.Name, found.Definition, caller, RandomNumberGenerator.GetHexString(32, lowercase: true), now);
        lock (gate)
        {
            var mine = sessions.Values.Count(s => s.Caller.LimitKey == caller.LimitKey && s.State != PlaygroundSessionStates.Ended);
            if (mine >= options.SessionsPerUser)
            {
                return Fail(ServiceError.TooMany, $"you already have {mine} playground session(s), the most one may have; end one first");
            }

            if (hosts.Count == 0)
            {
                return Fail(ServiceError.Unavailable, "no playground host is running; an admin starts 'forgeline playground-host' (or the server's own host)");
            }

            if (FreestHost() is null && queue.Count >= options.MaxQueue)
            {
                return Fail(ServiceError.Unavailable, $"the playground is full and {queue.Count} people are waiting; try again in a few minutes");
            }

            sessions[entry.Id] = entry;
            queue.Add(entry);
            entry.Status = "waiting for room on a playground host";
        }

        LogAsked(entry.Id, found.Name, caller.Owner);
        PlaceQueued();
        return Describe(entry, withTerminal: true);
    }

    /// <summary>The sessions the caller may see: everyone's for admins, their own for others.</summary>
    public IReadOnlyList<PlaygroundSessionDto> List(PlaygroundCaller caller)
    {
        lock (gate)
        {
            return sessions.Values.Where(s => caller.IsAdmin || s.Caller.LimitKey == caller.LimitKey)
                .OrderBy(s => s.CreatedAt).Select(s => Describe(s, withTerminal: false)).ToList();
        }
    }

    /// <summary>One session, for its owner (or with its key) or an admin.</summary>
    public ServiceResult<PlaygroundSessionDto> Get(string id, PlaygroundCaller caller, string? key)
    {
        lock (gate)
        {
            return sessions.TryGetValue(id, out var entry) && May(entry, caller, key) ? Describe(entry, withTerminal: false) : Fail(ServiceError.NotFound, NoSuchSession(id));
        }
    }

    /// <summary>Ends a session: its owner (or whoever holds its key) or an admin.</summary>
    public ServiceResult<bool> End(string id, PlaygroundCaller caller, string? key)
    {
        Entry? entry;
        lock (gate)
        {
            if (!sessions.TryGetValue(id, out entry) || !May(entry, caller, key))
            {
                return ServiceResult<bool>.Fail(ServiceError.NotFound, NoSuchSession(id));
            }
        }

        Finish(entry, caller.LimitKey == entry.Caller.LimitKey ? "ended by its owner" : $"ended by {caller.Owner}", tellHost: true);
        return true;
    }

    /// <summary>Whether <paramref name="key"/> opens the terminal of session <paramref name="id"/> (compared in constant time).</summary>
    public bool MayAttach(string id, string? key)
    {
        lock (gate)
        {
            return sessions.TryGetValue(id, out var entry) && KeyMatches(entry, key);
        }
    }

    /// <summary>
    /// Carries the browser's socket to the session's terminal: while the session waits or starts, the browser hears
    /// its place in the queue and what the host is doing; then the terminal itself.
    /// </summary>
    public async Task AttachAsync(string id, WebSocket socket, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (gate)
        {
            entry = sessions[id];
            entry.Attached = true;
        }

        string? sent = null;
        try
        {
            while (true)
            {
                Task changed;
                string? status;
                lock (gate)
                {
                    if (entry.State == PlaygroundSessionStates.Running)
                    {
                        break;
                    }

                    if (entry.State == PlaygroundSessionStates.Ended)
                    {
                        status = null;
                    }
                    else
                    {
                        var position = queue.IndexOf(entry);
                        status = position >= 0 ? $"waiting for room: {Ordinal(position + 1)} in the queue" : entry.Status;
                    }

                    changed = entry.Changed.Task;
                }

                if (status is null)
                {
                    await SendAsync(socket, TerminalControl.Ended(entry.EndReason ?? "ended"), cancellationToken);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "session ended", cancellationToken);
                    return;
                }

                if (status != sent)
                {
                    await SendAsync(socket, TerminalControl.Status(status), cancellationToken);
                    sent = status;
                }

                // A browser that went away while waiting is noticed at the next status, at the latest in 5 s.
                if (await Task.WhenAny(changed, Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken)) != changed)
                {
                    await SendAsync(socket, TerminalControl.Status(status), cancellationToken);
                }
            }

            await SendAsync(socket, TerminalControl.Status("connected"), cancellationToken);
            await entry.Host!.AttachAsync(id, socket, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            lock (gate)
            {
                entry.Attached = false;
                entry.DetachedAt = time.GetUtcNow();
            }
        }
    }

    /// <summary>A host says a session ended there (its shell ended, a limit, its browser went).</summary>
    public void HostEnded(string id, string reason)
    {
        Entry? entry;
        lock (gate)
        {
            sessions.TryGetValue(id, out entry);
        }

        if (entry is not null)
        {
            Finish(entry, reason, tellHost: false);
            Release(entry);
        }
    }

    /// <summary>
    /// A remote host's report: adds or refreshes it, and takes its running sessions it no longer lists as ended.
    /// Returns the ids of the sessions the server knows on it; the host ends any other.
    /// </summary>
    public IReadOnlyList<string> Report(string name, PlaygroundHostReport report, Func<IPlaygroundHostClient> create)
    {
        var now = time.GetUtcNow();
        List<Entry> gone;
        List<string> known;
        lock (gate)
        {
            if (!hosts.TryGetValue(name, out var host) || host is RemoteHostClient remote && !remote.Matches(report))
            {
                host = create();
                hosts[name] = host;
            }

            ((RemoteHostClient)host).Update(report);
            hostSeen[name] = now;
            var listed = report.Sessions.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var ended in sessions.Values.Where(s => s.Host?.Name == name && s.Holds && s.State == PlaygroundSessionStates.Ended && !listed.Contains(s.Id)))
            {
                ended.Holds = false;
            }

            var mine = sessions.Values.Where(s => s.Host?.Name == name && s.State != PlaygroundSessionStates.Ended).ToList();
            gone = mine.Where(s => s.State == PlaygroundSessionStates.Running && s.StartedAt < now - TimeSpan.FromSeconds(10) && !listed.Contains(s.Id)).ToList();
            known = mine.Select(s => s.Id).ToList();
        }

        foreach (var entry in gone)
        {
            Finish(entry, "it ended on its playground host", tellHost: false);
        }

        PlaceQueued();
        return known;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await timer.DisposeAsync();

    private static bool May(Entry entry, PlaygroundCaller caller, string? key) =>
        caller.IsAdmin || (caller.SignedIn && entry.Caller.SignedIn && entry.Caller.LimitKey == caller.LimitKey) || KeyMatches(entry, key);

    private static bool KeyMatches(Entry entry, string? key) =>
        key is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key), Encoding.ASCII.GetBytes(entry.Key));

    private PlaygroundSessionDto Describe(Entry entry, bool withTerminal)
    {
        var position = queue.IndexOf(entry);
        var usage = entry.State == PlaygroundSessionStates.Running ? entry.Host?.Sessions.FirstOrDefault(s => s.Id == entry.Id)?.Usage : null;
        return new PlaygroundSessionDto(
            entry.Id, entry.Environment, entry.Caller.Owner, entry.State, position >= 0 ? position + 1 : null, entry.Host?.Name,
            entry.CreatedAt.UtcDateTime, entry.StartedAt?.UtcDateTime, entry.EndedAt?.UtcDateTime, entry.EndReason,
            withTerminal ? $"/api/v1/playground/sessions/{entry.Id}/terminal?key={entry.Key}" : null, usage);
    }

    private static Task SendAsync(WebSocket socket, string json, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, cancellationToken);

    private static string Ordinal(int n) => n.ToString(CultureInfo.InvariantCulture) + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    private static string NoSuchSession(string id) => $"there is no playground session '{id}' of yours";

    private static ServiceResult<PlaygroundSessionDto> Fail(ServiceError error, string message) => ServiceResult<PlaygroundSessionDto>.Fail(error, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Playground session {Session} of {Environment} asked for by {Owner}")]
    private partial void LogAsked(string session, string environment, string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Playground session {Session} runs on {Host}, {Milliseconds:F0} ms after it was asked for")]
    private partial void LogStarted(string session, string host, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Playground session {Session} could not start on {Host}")]
    private partial void LogStartFailed(Exception e, string session, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Playground session {Session} could not be ended on {Host}")]
    private partial void LogEndFailed(Exception e, string session, string host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event {Type} of playground session {Session} could not be stored")]
    private partial void LogEventFailed(Exception e, string type, string session);

    [LoggerMessage(Level = LogLevel.Information, Message = "Playground session {Session} ended: {Reason}")]
    private partial void LogEnded(string session, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Playground host {Host} did not report for {Seconds} s; its sessions are taken as ended")]
    private partial void LogHostGone(string host, int seconds);
}
