namespace Forgeline.Core.Meetings;

/// <summary>Body of <c>POST /api/v1/meetings</c> and <c>PATCH /api/v1/meetings/{id}</c> (where every field is optional).</summary>
/// <param name="Sig">The SIG (a group) the meeting belongs to; the caller must be in it.</param>
/// <param name="Title">What people see.</param>
/// <param name="Start">The first start as local wall-clock time, <c>2027-01-12T14:00</c>.</param>
/// <param name="TimeZone">An IANA time zone (default <c>UTC</c>).</param>
/// <param name="DurationMinutes">How long each occurrence lasts (5 to 1440).</param>
/// <param name="Platform"><c>zoom</c>, <c>tencent</c> or <c>welink</c>.</param>
/// <param name="Recurrence"><c>none</c>, <c>weekly</c>, <c>biweekly</c> or <c>monthly</c>.</param>
/// <param name="Occurrences">How many times a repeating meeting takes place (2 to 60).</param>
/// <param name="Agenda">A link to the agenda.</param>
public sealed record MeetingBookingRequest(
    string? Sig = null,
    string? Title = null,
    string? Start = null,
    string? TimeZone = null,
    int? DurationMinutes = null,
    string? Platform = null,
    string? Recurrence = null,
    int? Occurrences = null,
    string? Agenda = null);

/// <summary>A recording of a meeting and where it was published.</summary>
/// <param name="Id">Its id.</param>
/// <param name="State"><c>pending</c> (being downloaded), <c>stored</c>, <c>published</c> or <c>failed</c>.</param>
/// <param name="Size">Bytes, once stored.</param>
/// <param name="Sha256">Its digest, once stored (download: <c>/api/v1/meetings/{id}/recordings/{recording}</c>).</param>
/// <param name="Reason">Why it failed (or why a publication is waiting).</param>
/// <param name="Videos">Where it was published.</param>
/// <param name="RecordedAt">When the recording started.</param>
public sealed record MeetingRecordingDto(long Id, string State, long? Size, string? Sha256, string? Reason, IReadOnlyList<PublishedVideoDto> Videos, DateTimeOffset? RecordedAt);

/// <summary>A recording on a video platform.</summary>
/// <param name="Platform"><c>youtube</c> or <c>bilibili</c>.</param>
/// <param name="Url">Where to watch it.</param>
public sealed record PublishedVideoDto(string Platform, string Url);

/// <summary>A meeting.</summary>
/// <param name="Id">Its id (<c>/meetings/{id}</c>).</param>
/// <param name="Sig">Its SIG.</param>
/// <param name="Title">Its title.</param>
/// <param name="Agenda">The agenda link.</param>
/// <param name="Start">The first start, local time with its offset.</param>
/// <param name="TimeZone">Its IANA time zone.</param>
/// <param name="DurationMinutes">Minutes per occurrence.</param>
/// <param name="Recurrence"><c>none</c>, <c>weekly</c>, <c>biweekly</c> or <c>monthly</c>.</param>
/// <param name="Occurrences">How many times it takes place.</param>
/// <param name="Upcoming">The next occurrences (at most 5) that have not ended.</param>
/// <param name="Platform">Its platform.</param>
/// <param name="JoinUrl">The link to join.</param>
/// <param name="Passcode">The passcode, or empty.</param>
/// <param name="State"><c>scheduled</c> or <c>cancelled</c>.</param>
/// <param name="Sequence">How many times it changed (iCalendar SEQUENCE).</param>
/// <param name="CreatedBy">Who booked it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="Recordings">Its recordings.</param>
public sealed record MeetingDto(
    long Id, string Sig, string Title, string? Agenda, DateTimeOffset Start, string TimeZone, int DurationMinutes, string Recurrence, int Occurrences,
    IReadOnlyList<DateTimeOffset> Upcoming, string Platform, string JoinUrl, string Passcode, string State, int Sequence, string CreatedBy, DateTimeOffset CreatedAt,
    IReadOnlyList<MeetingRecordingDto> Recordings);

/// <summary>One SIG's meetings in one month.</summary>
/// <param name="Sig">The SIG.</param>
/// <param name="Month"><c>2027-01</c>.</param>
/// <param name="Meetings">Occurrences in the month, held or booked (cancelled meetings do not count).</param>
/// <param name="Hours">Their scheduled hours.</param>
/// <param name="Participants">People who joined them (as the platform reported; the same person in two meetings counts twice).</param>
public sealed record MeetingMonthStat(string Sig, string Month, int Meetings, double Hours, int Participants);

/// <summary>Meetings per SIG per month over a range, with totals per SIG (top first).</summary>
/// <param name="Months">The months covered, oldest first.</param>
/// <param name="Cells">Every SIG × month with at least one meeting.</param>
/// <param name="Sigs">Totals per SIG, the most meetings first.</param>
public sealed record MeetingStatistics(IReadOnlyList<string> Months, IReadOnlyList<MeetingMonthStat> Cells, IReadOnlyList<MeetingSigTotal> Sigs);

/// <summary>One SIG's totals.</summary>
/// <param name="Sig">The SIG.</param>
/// <param name="Meetings">Occurrences held or booked.</param>
/// <param name="Hours">Hours.</param>
/// <param name="Participants">Participants (summed over meetings).</param>
public sealed record MeetingSigTotal(string Sig, int Meetings, double Hours, int Participants);

/// <summary>A platform meetings can be booked on.</summary>
/// <param name="Name">Its name in requests (<c>zoom</c>).</param>
/// <param name="DisplayName">What people see.</param>
/// <param name="ConcurrentMeetings">How many meetings its account may hold at once.</param>
public sealed record MeetingPlatformDto(string Name, string DisplayName, int ConcurrentMeetings);
