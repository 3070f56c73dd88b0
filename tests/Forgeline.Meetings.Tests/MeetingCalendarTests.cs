using System.Globalization;
using System.Text.Json;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

namespace Forgeline.Meetings.Tests;

/// <summary>
/// The iCalendar Forgeline writes, read back by a second, independent parser: Debian's python3-icalendar. It checks the
/// method, sequence, status, recurrence and start of each event, and that each VTIMEZONE's own rules give the offsets
/// tzdata gives around both DST changes (the parser would otherwise resolve TZID by name and never look at them).
/// </summary>
public sealed class MeetingCalendarTests
{

    private static readonly DateTimeOffset Stamp = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_invitation_an_update_and_a_cancellation_read_back_with_their_method_sequence_and_time_zone()
    {
        var weekly = new MeetingEvent("meeting-42@forgeline.example", "sig-release weekly", "Agenda: https://etherpad.example/p/release\nJoin: https://zoom.example/j/42",
            "https://zoom.example/j/42", new DateTime(2027, 3, 16, 14, 0, 0), "Europe/Berlin", TimeSpan.FromHours(1), MeetingRecurrence.Weekly, 4);

        var invitation = await IcalendarReader.ReadAsync(MeetingCalendar.Invitation(weekly, "meetings@forgeline.example", "sig-release@lists.example", Stamp));
        var moved = await IcalendarReader.ReadAsync(MeetingCalendar.Invitation(weekly with { LocalStart = new DateTime(2027, 3, 16, 15, 0, 0), Sequence = 1 }, "meetings@forgeline.example", "sig-release@lists.example", Stamp));
        var cancelled = await IcalendarReader.ReadAsync(MeetingCalendar.Invitation(weekly with { Sequence = 2, Cancelled = true }, "meetings@forgeline.example", "sig-release@lists.example", Stamp));

        invitation.GetProperty("method").GetString().ShouldBe("REQUEST");
        var vevent = invitation.GetProperty("events")[0];
        vevent.GetProperty("uid").GetString().ShouldBe("meeting-42@forgeline.example");
        vevent.GetProperty("start").GetString().ShouldBe("2027-03-16T13:00Z");
        vevent.GetProperty("tzid").GetString().ShouldBe("Europe/Berlin");
        vevent.GetProperty("rrule").GetString().ShouldBe("FREQ=WEEKLY;COUNT=4");
        vevent.GetProperty("duration").GetInt32().ShouldBe(3600);
        vevent.GetProperty("status").GetString().ShouldBe("CONFIRMED");
        invitation.GetProperty("zones").GetProperty("Europe/Berlin").GetBoolean().ShouldBeTrue("the VTIMEZONE's rules give tzdata's offsets");

        moved.GetProperty("events")[0].GetProperty("sequence").GetInt32().ShouldBe(1);
        moved.GetProperty("events")[0].GetProperty("start").GetString().ShouldBe("2027-03-16T14:00Z");
        cancelled.GetProperty("method").GetString().ShouldBe("CANCEL");
        cancelled.GetProperty("events")[0].GetProperty("status").GetString().ShouldBe("CANCELLED");
        cancelled.GetProperty("events")[0].GetProperty("sequence").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task A_feed_holds_every_meeting_with_one_time_zone_each_and_the_starts_forgeline_computed()
    {
        MeetingEvent[] meetings =
        [
            new("m1@forgeline.example", "sig-release weekly", "", null, new DateTime(2027, 3, 16, 14, 0, 0), "Europe/Berlin", TimeSpan.FromHours(1), MeetingRecurrence.Weekly, 4),
            new("m2@forgeline.example", "sig-kernel", "", "https://meeting.tencent.example/1", new DateTime(2027, 1, 12, 20, 0, 0), "Asia/Shanghai", TimeSpan.FromMinutes(45)),
            new("m3@forgeline.example", "sig-infra", "", null, new DateTime(2027, 10, 31, 9, 0, 0), "America/New_York", TimeSpan.FromMinutes(30), MeetingRecurrence.Biweekly, 2),
            new("m4@forgeline.example", "sig-docs (cancelled)", "", null, new DateTime(2027, 2, 2, 10, 0, 0), "Europe/Berlin", TimeSpan.FromHours(1), Sequence: 1, Cancelled: true),
        ];

        var feed = await IcalendarReader.ReadAsync(MeetingCalendar.Feed("openEuler community meetings", meetings, Stamp));

        feed.GetProperty("method").GetString().ShouldBe("PUBLISH");
        feed.GetProperty("name").GetString().ShouldBe("openEuler community meetings");
        feed.GetProperty("zones").EnumerateObject().Select(z => (z.Name, z.Value.GetBoolean())).OrderBy(z => z.Name, StringComparer.Ordinal)
            .ShouldBe([("America/New_York", true), ("Asia/Shanghai", true), ("Europe/Berlin", true)]);
        var events = feed.GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("uid").GetString()!);
        foreach (var meeting in meetings)
        {
            var first = MeetingTimes.Instant(meeting.LocalStart, MeetingTimes.Zone(meeting.TimeZone)!);
            events[meeting.Uid].GetProperty("start").GetString().ShouldBe(first.UtcDateTime.ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture), meeting.Title);
        }

        events["m3@forgeline.example"].GetProperty("rrule").GetString().ShouldBe("FREQ=WEEKLY;COUNT=2;INTERVAL=2");
        events["m4@forgeline.example"].GetProperty("status").GetString().ShouldBe("CANCELLED");
    }
}
