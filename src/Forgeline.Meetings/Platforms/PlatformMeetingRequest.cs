namespace Forgeline.Meetings.Platforms;

/// <summary>A meeting as a platform is asked to schedule it.</summary>
/// <param name="Topic">The meeting's title.</param>
/// <param name="Agenda">Its agenda (a link or text), or null.</param>
/// <param name="Start">The first start.</param>
/// <param name="TimeZone">The IANA time zone the meeting keeps its local time in, e.g. <c>Europe/Berlin</c>.</param>
/// <param name="DurationMinutes">How long each occurrence lasts, in minutes.</param>
/// <param name="Recurrence">How it repeats.</param>
/// <param name="Occurrences">How many times a repeating meeting takes place (the first included).</param>
public sealed record PlatformMeetingRequest(
    string Topic,
    string? Agenda,
    DateTimeOffset Start,
    string TimeZone,
    int DurationMinutes,
    MeetingRecurrence Recurrence = MeetingRecurrence.None,
    int? Occurrences = null);
