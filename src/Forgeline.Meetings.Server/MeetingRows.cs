using System.Globalization;
using System.Text.Json;
using Forgeline.Core.Meetings;
using Forgeline.Data.Entities;
using Forgeline.Meetings.Platforms;

namespace Forgeline.Meetings.Server;

/// <summary>What a stored meeting is in the meetings library's terms and in the API's.</summary>
public static class MeetingRows
{
    /// <summary>The state of a meeting that takes place.</summary>
    public const string Scheduled = "scheduled";

    /// <summary>The state of a cancelled meeting.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>How many upcoming occurrences a meeting's DTO lists.</summary>
    public const int UpcomingShown = 5;

    /// <summary>The recurrence a stored name stands for.</summary>
    public static MeetingRecurrence Recurrence(string name) =>
        Enum.TryParse<MeetingRecurrence>(name, ignoreCase: true, out var recurrence) ? recurrence : MeetingRecurrence.None;

    /// <summary>The stored name of <paramref name="recurrence"/>.</summary>
    public static string Name(MeetingRecurrence recurrence) => recurrence.ToString().ToLowerInvariant();

    /// <summary>The meeting's occurrences as instants.</summary>
    public static IReadOnlyList<MeetingOccurrence> Occurrences(MeetingRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var zone = MeetingTimes.Zone(row.TimeZone) ?? TimeZoneInfo.Utc;
        return MeetingTimes.Expand(row.LocalStart, zone, TimeSpan.FromMinutes(row.DurationMinutes), Recurrence(row.Recurrence), row.Occurrences);
    }

    /// <summary>The meeting as conflicts see it.</summary>
    public static BookedMeeting Booked(MeetingRecord row) => new(row.Id, row.Sig, row.Title, row.Platform, Occurrences(row));

    /// <summary>The meeting as a request (what it was booked as, with its current values).</summary>
    public static MeetingRequest Request(MeetingRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var recurrence = Recurrence(row.Recurrence);
        return new MeetingRequest(row.Sig, row.Title, row.LocalStart, row.TimeZone, TimeSpan.FromMinutes(row.DurationMinutes), row.Platform, recurrence,
            recurrence == MeetingRecurrence.None ? null : row.Occurrences, row.Agenda);
    }

    /// <summary>What the platform is asked to schedule for <paramref name="request"/>.</summary>
    public static PlatformMeetingRequest Platform(MeetingRequest request, DateTimeOffset firstStart)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new PlatformMeetingRequest(request.Title, request.Agenda, firstStart, request.TimeZone, (int)request.Duration.TotalMinutes, request.Recurrence, request.Occurrences);
    }

    /// <summary>The meeting as iCalendar writes it; <paramref name="uidDomain"/> makes its UID unique to this server.</summary>
    public static MeetingEvent Event(MeetingRecord row, string uidDomain)
    {
        ArgumentNullException.ThrowIfNull(row);
        var description = row.Agenda is { Length: > 0 } agenda ? $"SIG: {row.Sig}\nAgenda: {agenda}" : $"SIG: {row.Sig}";
        var recurrence = Recurrence(row.Recurrence);
        return new MeetingEvent(
            string.Create(CultureInfo.InvariantCulture, $"meeting-{row.Id}@{uidDomain}"), $"[{row.Sig}] {row.Title}", description, row.JoinUrl,
            row.LocalStart, row.TimeZone, TimeSpan.FromMinutes(row.DurationMinutes), recurrence,
            recurrence == MeetingRecurrence.None ? null : row.Occurrences, row.Sequence, row.State == Cancelled);
    }

    /// <summary>The meeting for the API, its upcoming occurrences counted from <paramref name="now"/>.</summary>
    public static MeetingDto Dto(MeetingRecord row, IEnumerable<MeetingRecordingRecord> recordings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        var occurrences = Occurrences(row);
        var upcoming = row.State == Cancelled ? [] : occurrences.Where(o => o.End > now).Take(UpcomingShown).Select(o => o.Start).ToList();
        return new MeetingDto(
            row.Id, row.Sig, row.Title, row.Agenda, occurrences[0].Start, row.TimeZone, row.DurationMinutes, row.Recurrence, row.Occurrences, upcoming,
            row.Platform, row.JoinUrl, row.Passcode, row.State, row.Sequence, row.CreatedBy, Utc(row.CreatedAt),
            [.. recordings.OrderBy(r => r.Id).Select(RecordingDto)]);
    }

    /// <summary>A recording for the API (never its download token).</summary>
    public static MeetingRecordingDto RecordingDto(MeetingRecordingRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new MeetingRecordingDto(row.Id, row.State, row.Size, row.Sha256, row.Error, Videos(row), row.RecordedAt is { } at ? Utc(at) : null);
    }

    /// <summary>Where a recording was published.</summary>
    public static IReadOnlyList<PublishedVideoDto> Videos(MeetingRecordingRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Videos is { Length: > 0 } json
            ? [.. (JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []).OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new PublishedVideoDto(v.Key, v.Value))]
            : [];
    }

    /// <summary>A stored UTC time as an offset.</summary>
    public static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
