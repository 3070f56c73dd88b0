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
        var list = meetings.ToList();
        return Assemble(name, list.Select(m => FeedEvent(m, stamp)), Zones(list).Select(z => FeedZone(z.Zone, z.FromYear)));
    }

    /// <summary>
    /// One meeting's <c>VEVENT</c> as a feed holds it (<c>BEGIN:VEVENT</c> to <c>END:VEVENT</c>, CRLF-ended): a piece a
    /// server may keep and reuse until the meeting changes; <paramref name="stamp"/> is its <c>DTSTAMP</c>.
    /// </summary>
    public static string FeedEvent(MeetingEvent meeting, DateTimeOffset stamp)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        return new ComponentSerializer().SerializeToString(Event(meeting, stamp)) ?? throw new InvalidOperationException("Ical.Net wrote no event");
    }

    /// <summary>The <c>VTIMEZONE</c> of <paramref name="zone"/> with its rules from the start of <paramref name="fromYear"/>.</summary>
    public static string FeedZone(string zone, int fromYear) =>
        new ComponentSerializer().SerializeToString(ZoneFrom(zone, fromYear)) ?? throw new InvalidOperationException("Ical.Net wrote no time zone");

    /// <summary>The zones <paramref name="meetings"/> use, each with the year its rules must start from (the year before its earliest use).</summary>
    public static IEnumerable<(string Zone, int FromYear)> Zones(IEnumerable<MeetingEvent> meetings)
    {
        ArgumentNullException.ThrowIfNull(meetings);
        return meetings.GroupBy(m => m.TimeZone, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Min(m => m.LocalStart).Year - 1));
    }

    /// <summary>A <c>METHOD:PUBLISH</c> calendar named <paramref name="name"/> of written <paramref name="zones"/> and <paramref name="events"/>.</summary>
    public static string Assemble(string name, IEnumerable<string> events, IEnumerable<string> zones)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(zones);
        var text = new System.Text.StringBuilder(64 * 1024);
        text.Append("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:").Append(ProductId).Append("\r\nMETHOD:PUBLISH\r\n");
        Fold(text, "X-WR-CALNAME:" + Escape(name));
        foreach (var zone in zones)
        {
            text.Append(zone);
        }

        foreach (var vevent in events)
        {
            text.Append(vevent);
        }

        return text.Append("END:VCALENDAR\r\n").ToString();
    }

    // RFC 5545 3.3.11: a TEXT value escapes backslash, semicolon, comma and newline.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    // RFC 5545 3.1: lines longer than 75 octets are folded with CRLF and a space, never inside a UTF-8 sequence.
    private static void Fold(System.Text.StringBuilder text, string line)
    {
        var bytes = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (bytes + size > 75)
            {
                text.Append("\r\n ");
                bytes = 1;
            }

            text.Append(rune.ToString());
            bytes += size;
        }

        text.Append("\r\n");
    }

    // The zone's rules from the start of the year before its earliest use: observances that began before a meeting
    // (a DST period it falls into) are there, and older history is not.
    private static VTimeZone Zone(string zone, DateTime earliest) => ZoneFrom(zone, earliest.Year - 1);

    private static VTimeZone ZoneFrom(string zone, int fromYear) =>
        VTimeZone.FromDateTimeZone(zone, new DateTime(fromYear, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), includeHistoricalData: false);

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
