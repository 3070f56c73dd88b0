using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Meetings;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Meetings.Server;

/// <summary>Reads meetings: one, a SIG's or everyone's in a time range, and the statistics. Meetings are public.</summary>
public sealed class MeetingQueries(ForgelineDbContext db, TimeProvider time)
{
    /// <summary>The longest range a list or the statistics cover.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(3 * 366);

    /// <summary>Meeting <paramref name="id"/> with its recordings.</summary>
    public async Task<ServiceResult<MeetingDto>> GetAsync(long id, CancellationToken cancellationToken)
    {
        var row = await db.Meetings.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (row is null)
        {
            return ServiceResult<MeetingDto>.Fail(ServiceError.NotFound, $"there is no meeting {id}");
        }

        var recordings = await db.MeetingRecordings.AsNoTracking().Where(r => r.MeetingId == id).ToListAsync(cancellationToken);
        return MeetingRows.Dto(row, recordings, time.GetUtcNow());
    }

    /// <summary>
    /// The meetings (of <paramref name="sig"/>, or all) with an occurrence between <paramref name="from"/> and
    /// <paramref name="to"/> (default: from now on), soonest first; cancelled ones only when asked.
    /// </summary>
    public async Task<ServiceResult<List<MeetingDto>>> ListAsync(string? sig, DateTimeOffset? from, DateTimeOffset? to, bool cancelled, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var start = (from ?? now).UtcDateTime;
        var end = (to ?? (from ?? now) + TimeSpan.FromDays(366)).UtcDateTime;
        if (end <= start || end - start > MaxRange)
        {
            return ServiceResult<List<MeetingDto>>.Fail(ServiceError.Invalid, $"the range runs forward and covers at most {MaxRange.TotalDays:0} days");
        }

        var query = db.Meetings.AsNoTracking().Where(m => m.FirstStart < end && m.LastEnd > start);
        if (sig is { Length: > 0 })
        {
            query = query.Where(m => m.Sig == sig);
        }

        if (!cancelled)
        {
            query = query.Where(m => m.State == MeetingRows.Scheduled);
        }

        var rows = await query.OrderBy(m => m.FirstStart).ThenBy(m => m.Id).Take(1000).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var recordings = (await db.MeetingRecordings.AsNoTracking().Where(r => ids.Contains(r.MeetingId)).ToListAsync(cancellationToken)).ToLookup(r => r.MeetingId);
        return rows.Select(r => MeetingRows.Dto(r, recordings[r.Id], now)).ToList();
    }

    /// <summary>
    /// Meetings per SIG per month from <paramref name="fromMonth"/> to <paramref name="toMonth"/> (<c>2027-01</c>;
    /// default: the 12 months up to next month): occurrences held or booked, their hours and participants.
    /// </summary>
    public async Task<ServiceResult<MeetingStatistics>> StatisticsAsync(string? fromMonth, string? toMonth, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var thisMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        if (!Month(toMonth, thisMonth.AddMonths(1), out var last) || !Month(fromMonth, last.AddMonths(-11), out var first))
        {
            return ServiceResult<MeetingStatistics>.Fail(ServiceError.Invalid, "months are written 2027-01");
        }

        if (first > last || last.AddMonths(1) - first > MaxRange)
        {
            return ServiceResult<MeetingStatistics>.Fail(ServiceError.Invalid, $"the range runs forward and covers at most {MaxRange.TotalDays / 30:0} months");
        }

        var end = last.AddMonths(1);
        var rows = await db.Meetings.AsNoTracking().Where(m => m.State == MeetingRows.Scheduled && m.FirstStart < end && m.LastEnd > first).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var participants = await db.MeetingParticipants.AsNoTracking().Where(p => ids.Contains(p.MeetingId))
            .Select(p => new { p.MeetingId, p.JoinedAt }).ToListAsync(cancellationToken);
        var cells = new Dictionary<(string Sig, string Month), (int Meetings, double Hours, int Participants)>();
        foreach (var row in rows)
        {
            var occurrences = MeetingRows.Occurrences(row);
            foreach (var occurrence in occurrences.Where(o => o.Start.UtcDateTime >= first && o.Start.UtcDateTime < end))
            {
                var key = (row.Sig, MonthOf(occurrence.Start.UtcDateTime));
                var joined = participants.Count(p => p.MeetingId == row.Id && p.JoinedAt >= occurrence.Start.UtcDateTime.AddHours(-1) && p.JoinedAt < occurrence.End.UtcDateTime);
                var cell = cells.GetValueOrDefault(key);
                cells[key] = (cell.Meetings + 1, cell.Hours + (occurrence.End - occurrence.Start).TotalHours, cell.Participants + joined);
            }
        }

        var months = new List<string>();
        for (var month = first; month <= last; month = month.AddMonths(1))
        {
            months.Add(MonthOf(month));
        }

        var list = cells.OrderBy(c => c.Key.Sig, StringComparer.Ordinal).ThenBy(c => c.Key.Month, StringComparer.Ordinal)
            .Select(c => new MeetingMonthStat(c.Key.Sig, c.Key.Month, c.Value.Meetings, Math.Round(c.Value.Hours, 2), c.Value.Participants)).ToList();
        var sigs = list.GroupBy(c => c.Sig)
            .Select(g => new MeetingSigTotal(g.Key, g.Sum(c => c.Meetings), Math.Round(g.Sum(c => c.Hours), 2), g.Sum(c => c.Participants)))
            .OrderByDescending(s => s.Meetings).ThenByDescending(s => s.Hours).ThenBy(s => s.Sig, StringComparer.Ordinal).ToList();
        return new MeetingStatistics(months, list, sigs);
    }

    private static string MonthOf(DateTime time) => time.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static bool Month(string? text, DateTime fallback, out DateTime month)
    {
        if (string.IsNullOrEmpty(text))
        {
            month = fallback;
            return true;
        }

        var ok = DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out month);
        month = DateTime.SpecifyKind(month, DateTimeKind.Utc);
        return ok;
    }
}
