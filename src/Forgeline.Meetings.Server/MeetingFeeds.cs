using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Meetings.Server;

/// <summary>A calendar feed as served: its text and the ETag clients revalidate with.</summary>
/// <param name="Text">The iCalendar.</param>
/// <param name="ETag">A strong ETag of it (quoted).</param>
public sealed record MeetingFeed(string Text, string ETag);

/// <summary>
/// The subscribable calendar feeds: one per SIG and one for the whole community, with the meetings that ended in the
/// last 90 days and all ahead (cancelled ones as cancelled, so subscribed clients drop them). A feed is written once
/// and kept until a meeting in it changes, which a cheap query (how many rows, the latest change) notices on every
/// replica; then only the changed meetings' events are written again.
/// </summary>
public sealed class MeetingFeeds(IServiceScopeFactory scopes, MeetingMail mail, TimeProvider time)
{
    /// <summary>How far back a feed reaches.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(90);

    /// <summary>The most meetings a feed holds.</summary>
    public const int MaxMeetings = 5000;

    private readonly ConcurrentDictionary<string, (string Version, MeetingFeed Feed)> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(long Id, long Changed), string> events = new();
    private readonly ConcurrentDictionary<(string Zone, int Year), string> zones = new();

    /// <summary>The feed of <paramref name="sig"/>, or the community's when null.</summary>
    public async Task<MeetingFeed> FeedAsync(string? sig, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var since = (time.GetUtcNow() - History).UtcDateTime;
        var query = db.Meetings.AsNoTracking().Where(m => m.LastEnd > since);
        if (sig is not null)
        {
            query = query.Where(m => m.Sig == sig);
        }

        var stamp = await query.GroupBy(_ => 1).Select(g => new { Count = g.Count(), Latest = g.Max(m => m.UpdatedAt), Last = g.Max(m => m.Id) }).FirstOrDefaultAsync(cancellationToken);
        var version = stamp is null ? "empty" : string.Create(CultureInfo.InvariantCulture, $"{stamp.Count}/{stamp.Latest.Ticks}/{stamp.Last}");
        var key = sig ?? "";
        if (cache.TryGetValue(key, out var cached) && cached.Version == version)
        {
            return cached.Feed;
        }

        var rows = await query.OrderBy(m => m.FirstStart).ThenBy(m => m.Id).Take(MaxMeetings).ToListAsync(cancellationToken);
        var name = sig is null ? "Community meetings" : $"{sig} meetings";
        // Each meeting's VEVENT is written once per change (its DTSTAMP is that change) and kept: a change rewrites one.
        var written = rows.Select(r => (Row: r, Event: MeetingRows.Event(r, mail.UidDomain))).ToList();
        var text = MeetingCalendar.Assemble(
            name,
            written.Select(w => events.GetOrAdd((w.Row.Id, w.Row.UpdatedAt.Ticks), _ => MeetingCalendar.FeedEvent(w.Event, MeetingRows.Utc(w.Row.UpdatedAt)))),
            MeetingCalendar.Zones(written.Select(w => w.Event)).Select(z => zones.GetOrAdd(z, key => MeetingCalendar.FeedZone(key.Zone, key.Year))));
        if (events.Count > 4 * MaxMeetings)
        {
            events.Clear();
        }

        var feed = new MeetingFeed(text, $"\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(version)))[..32]}\"");
        cache[key] = (version, feed);
        return feed;
    }
}
