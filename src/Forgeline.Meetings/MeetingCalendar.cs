using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Forgeline.Meetings;

/// <summary>A meeting as its invitation and the feeds show it.</summary>
/// <param name="Uid">Stable across edits and cancellation (calendar clients match updates by it), e.g. <c>meeting-42@forgeline.example.org</c>.</param>
/// <param name="Title">The summary.</param>
/// <param name="Description">The text: agenda, join link, passcode as the caller chooses to show them.</param>
/// <param name="JoinUrl">Where to join (the location), or null.</param>
/// <param name="LocalStart">The first start as a wall-clock time in <paramref name="TimeZone"/>.</param>
/// <param name="TimeZone">An IANA time zone.</param>
/// <param name="Duration">Each occurrence's length.</param>
/// <param name="Recurrence">How it repeats.</param>
/// <param name="Occurrences">How many times, when it repeats.</param>
/// <param name="Sequence">The revision: 0 when booked, one more at every change calendar clients must apply.</param>
/// <param name="Cancelled">Whether it was cancelled.</param>
public sealed record MeetingEvent(
    string Uid,
    string Title,
    string Description,
    string? JoinUrl,
    DateTime LocalStart,
    string TimeZone,
    TimeSpan Duration,
    MeetingRecurrence Recurrence = MeetingRecurrence.None,
    int? Occurrences = null,
    int Sequence = 0,
    bool Cancelled = false);

/// <summary>
/// Writes meetings as iCalendar (RFC 5545) with Ical.Net: an invitation or cancellation (RFC 5546 <c>METHOD</c>) for the
/// SIG's mailing list, and subscribable feeds. Times are local with their <c>TZID</c> and a <c>VTIMEZONE</c> built
/// from tzdata, so clients keep a weekly 14:00 at 14:00 across DST changes.
/// </summary>
public static class MeetingCalendar
{
    private const string ProductId = "-//Forgeline//Meetings//EN";

    /// <summary>
    /// The invitation (<c>METHOD:REQUEST</c>) or, for a cancelled meeting, the cancellation (<c>METHOD:CANCEL</c>,
    /// <c>STATUS:CANCELLED</c>) sent from <paramref name="organizer"/> to <paramref name="list"/>; <paramref name="stamp"/> is now.
    /// </summary>
    public static string Invitation(MeetingEvent meeting, string organizer, string list, DateTimeOffset stamp)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var calendar = new Calendar { ProductId = ProductId, Method = meeting.Cancelled ? "CANCEL" : "REQUEST" };
        var vevent = Event(meeting, stamp);
        vevent.Organizer = new Organizer($"mailto:{organizer}") { CommonName = "Forgeline meetings" };
        vevent.Attendees.Add(new Attendee($"mailto:{list}") { Rsvp = false, Role = "REQ-PARTICIPANT" });
        calendar.Events.Add(vevent);
        calendar.AddTimeZone(Zone(meeting.TimeZone, meeting.LocalStart));
        return Serialize(calendar);
    }

    /// <summary>
    /// A feed of <paramref name="meetings"/> named <paramref name="name"/> (<c>X-WR-CALNAME</c>), with one
    /// <c>VTIMEZONE</c> per time zone used; cancelled meetings stay in it as cancelled, so subscribers drop them.
    /// </summary>
    public static string Feed(string name, IEnumerable<MeetingEvent> meetings, DateTimeOffset stamp)
    {
        ArgumentNullException.ThrowIfNull(meetings);
        var calendar = new Calendar { ProductId = ProductId, Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", name);
        var zones = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (var meeting in meetings)
        {
            calendar.Events.Add(Event(meeting, stamp));
            zones[meeting.TimeZone] = zones.TryGetValue(meeting.TimeZone, out var earliest) && earliest < meeting.LocalStart ? earliest : meeting.LocalStart;
        }

        foreach (var (zone, earliest) in zones.OrderBy(z => z.Key, StringComparer.Ordinal))
        {
            calendar.AddTimeZone(Zone(zone, earliest));
        }

        return Serialize(calendar);
    }

    // The zone's rules from the start of the year before its earliest use: observances that began before a meeting
    // (a DST period it falls into) are there, and older history is not.
    private static VTimeZone Zone(string zone, DateTime earliest) =>
        VTimeZone.FromDateTimeZone(zone, new DateTime(earliest.Year - 1, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), includeHistoricalData: false);

    private static CalendarEvent Event(MeetingEvent meeting, DateTimeOffset stamp)
    {
        var start = DateTime.SpecifyKind(meeting.LocalStart, DateTimeKind.Unspecified);
        var vevent = new CalendarEvent
        {
            Uid = meeting.Uid,
            Summary = meeting.Title,
            Description = meeting.Description,
            Location = meeting.JoinUrl,
            DtStart = new CalDateTime(start, meeting.TimeZone),
            Duration = Duration.FromTimeSpanExact(meeting.Duration),
            Sequence = meeting.Sequence,
            Status = meeting.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
            DtStamp = new CalDateTime(stamp.UtcDateTime, "UTC"),
        };
        if (meeting.JoinUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var link))
        {
            vevent.Url = link;
        }

        if (meeting.Recurrence != MeetingRecurrence.None)
        {
            var (frequency, interval) = meeting.Recurrence switch
            {
                MeetingRecurrence.Weekly => (FrequencyType.Weekly, 1),
                MeetingRecurrence.Biweekly => (FrequencyType.Weekly, 2),
                _ => (FrequencyType.Monthly, 1),
            };
            vevent.RecurrenceRule = new RecurrencePattern(frequency, interval) { Count = meeting.Occurrences };
        }

        return vevent;
    }

    private static string Serialize(Calendar calendar) =>
        new CalendarSerializer().SerializeToString(calendar) ?? throw new InvalidOperationException("Ical.Net wrote no calendar");
}
