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

/// <summary>
/// Where sessions go and when they leave: placement on the freest host, starting there, ending (and telling the host
/// and the message center), releasing a host's room, and the sweep for sessions no browser came for and silent hosts.
/// </summary>
public sealed partial class PlaygroundBroker
{
    private void PlaceQueued()
    {
        var placed = new List<(Entry Entry, IPlaygroundHostClient Host)>();
        lock (gate)
        {
            while (queue.Count > 0 && FreestHost() is { } host)
            {
                var entry = queue[0];
                queue.RemoveAt(0);
                entry.State = PlaygroundSessionStates.Starting;
                entry.Host = host;
                entry.Holds = true;
                entry.Status = $"starting on {host.Name}";
                placed.Add((entry, host));
                entry.Signal();
            }

            foreach (var waiting in queue)
            {
                waiting.Signal();
            }
        }

        foreach (var (entry, host) in placed)
        {
            _ = Task.Run(() => RunStartAsync(entry, host));
        }
    }

    private async Task RunStartAsync(Entry entry, IPlaygroundHostClient host)
    {
        var progress = new Progress(this, entry);
        try
        {
            var keepHome = entry.Caller.SignedIn && entry.Definition.HomeMegabytes is > 0;
            await host.StartAsync(new HostStartRequest(entry.Id, entry.Environment, entry.Definition, entry.Caller.Owner, keepHome), progress, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogStartFailed(e, entry.Id, host.Name);
            Finish(entry, $"it could not start: {e.Message}", tellHost: false);
            Release(entry);
            return;
        }

        bool endedMeanwhile;
        lock (gate)
        {
            endedMeanwhile = entry.State == PlaygroundSessionStates.Ended;
            if (!endedMeanwhile)
            {
                entry.State = PlaygroundSessionStates.Running;
                entry.StartedAt = time.GetUtcNow();
                entry.Signal();
            }
        }

        if (endedMeanwhile)
        {
            await EndOnHostAsync(entry, host, entry.EndReason ?? "ended");
        }
        else
        {
            LogStarted(entry.Id, host.Name, (entry.StartedAt!.Value - entry.CreatedAt).TotalMilliseconds);
            await PublishAsync(EventTypes.PlaygroundSessionStarted, entry);
        }
    }

    private void Finish(Entry entry, string reason, bool tellHost)
    {
        IPlaygroundHostClient? host;
        lock (gate)
        {
            if (entry.State == PlaygroundSessionStates.Ended)
            {
                return;
            }

            host = entry.State is PlaygroundSessionStates.Running ? entry.Host : null;
            entry.State = PlaygroundSessionStates.Ended;
            entry.EndReason = reason;
            entry.EndedAt = time.GetUtcNow();
            queue.Remove(entry);
            entry.Signal();
        }

        LogEnded(entry.Id, reason);
        _ = PublishAsync(EventTypes.PlaygroundSessionEnded, entry);
        if (tellHost && host is not null)
        {
            _ = Task.Run(() => EndOnHostAsync(entry, host, reason));
        }

        PlaceQueued();
    }

    private async Task EndOnHostAsync(Entry entry, IPlaygroundHostClient host, string reason)
    {
        try
        {
            await host.EndAsync(entry.Id, reason, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            // The host's next report (or its silence) settles it.
            LogEndFailed(e, entry.Id, host.Name);
            return;
        }

        Release(entry);
    }

    // The message center's events: the session's owner sees them (anonymous sessions: admins only).
    private async Task PublishAsync(string type, Entry entry)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
            PlaygroundSessionEvent data;
            lock (gate)
            {
                data = new PlaygroundSessionEvent(entry.Id, entry.Environment, entry.Caller.Owner, entry.Host?.Name, entry.CreatedAt.UtcDateTime,
                    entry.StartedAt?.UtcDateTime, entry.EndedAt?.UtcDateTime, entry.EndReason);
            }

            EventOutbox.Add(db, type, EventOutbox.PlaygroundSource, $"playground/sessions/{entry.Id}", entry.Caller.SignedIn ? entry.Caller.Owner : null, isPublic: false,
                data, time.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }
        catch (Exception e) when (e is DbException or DbUpdateException or ObjectDisposedException)
        {
            LogEventFailed(e, type, entry.Id);
        }
    }

    private void Release(Entry entry)
    {
        lock (gate)
        {
            entry.Holds = false;
        }

        PlaceQueued();
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        var drop = new List<(Entry Entry, string Reason)>();
        lock (gate)
        {
            foreach (var entry in sessions.Values.ToList())
            {
                if (entry.State == PlaygroundSessionStates.Ended)
                {
                    if (now - entry.EndedAt > KeepEnded)
                    {
                        sessions.Remove(entry.Id);
                    }
                }
                else if (entry.State != PlaygroundSessionStates.Running && !entry.Attached && now - (entry.DetachedAt ?? entry.CreatedAt) > TimeSpan.FromSeconds(options.AttachSeconds))
                {
                    drop.Add((entry, $"no browser waited for it for {options.AttachSeconds} seconds"));
                }
            }

            foreach (var (name, seen) in hostSeen.ToList())
            {
                if (now - seen > TimeSpan.FromSeconds(options.HostTimeoutSeconds))
                {
                    hostSeen.Remove(name);
                    hosts.Remove(name);
                    foreach (var held in sessions.Values.Where(s => s.Host?.Name == name))
                    {
                        held.Holds = false;
                    }

                    LogHostGone(name, options.HostTimeoutSeconds);
                    drop.AddRange(sessions.Values.Where(s => s.Host?.Name == name && s.State != PlaygroundSessionStates.Ended)
                        .Select(s => (s, $"its playground host {name} stopped answering")));
                }
            }
        }

        foreach (var (entry, reason) in drop)
        {
            Finish(entry, reason, tellHost: true);
        }
    }

    // Under gate.
    private IPlaygroundHostClient? FreestHost() =>
        hosts.Values.Select(h => (Host: h, Free: h.Capacity - ActiveOn(h))).Where(h => h.Free > 0).OrderByDescending(h => h.Free).ThenBy(h => h.Host.Name, StringComparer.Ordinal)
            .Select(h => h.Host).FirstOrDefault();

    // Under gate.
    private int ActiveOn(IPlaygroundHostClient host) => sessions.Values.Count(s => s.Host == host && s.Holds);
}
