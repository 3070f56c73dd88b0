using System.Globalization;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Forgeline.Meetings.Tests;

/// <summary>
/// A meeting's time, table-driven over time zones and DST transitions: local wall-clock times to instants (RFC 5545's
/// reading of doubled and missing times), recurrences that keep their local time, and every request that must be
/// refused with what to change. The expected UTC times are written out by hand from the zones' rules.
/// </summary>
public sealed class MeetingTimesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Europe/Berlin", "2027-01-12T14:00", "2027-01-12T13:00Z", "+01:00")]
    [InlineData("Europe/Berlin", "2027-07-12T14:00", "2027-07-12T12:00Z", "+02:00")]
    [InlineData("Asia/Shanghai", "2027-01-12T14:00", "2027-01-12T06:00Z", "+08:00")]
    [InlineData("America/New_York", "2027-03-13T09:00", "2027-03-13T14:00Z", "-05:00")]
    [InlineData("America/New_York", "2027-03-15T09:00", "2027-03-15T13:00Z", "-04:00")]
    [InlineData("Asia/Kolkata", "2027-01-12T14:00", "2027-01-12T08:30Z", "+05:30")]
    [InlineData("UTC", "2027-01-12T14:00", "2027-01-12T14:00Z", "+00:00")]
    // The day the clocks go back, after the doubled hour (Berlin 2027-10-31 03:00 CEST → 02:00 CET).
    [InlineData("Europe/Berlin", "2027-10-31T03:30", "2027-10-31T02:30Z", "+01:00")]
    public void A_local_start_is_the_instant_its_time_zone_says(string zone, string local, string utc, string offset)
    {
        var occurrences = Book(zone, local).ShouldNotBeNull();

        occurrences.Single().Start.UtcDateTime.ShouldBe(Utc(utc));
        occurrences.Single().Start.Offset.ShouldBe(TimeSpan.Parse(offset.TrimStart('+'), CultureInfo.InvariantCulture));
        (occurrences.Single().End - occurrences.Single().Start).ShouldBe(TimeSpan.FromHours(1));
    }

    [Theory]
    // Weekly at 14:00 Berlin across the spring change (2027-03-28): 13:00Z, then 12:00Z.
    [InlineData("Europe/Berlin", "2027-03-16T14:00", MeetingRecurrence.Weekly, 4, "2027-03-16T13:00Z 2027-03-23T13:00Z 2027-03-30T12:00Z 2027-04-06T12:00Z")]
    // Every other week in New York across the autumn change (2027-11-07).
    [InlineData("America/New_York", "2027-10-25T09:00", MeetingRecurrence.Biweekly, 3, "2027-10-25T13:00Z 2027-11-08T14:00Z 2027-11-22T14:00Z")]
    // Monthly on the 12th in Shanghai (no DST): the same instant each month.
    [InlineData("Asia/Shanghai", "2027-01-12T20:00", MeetingRecurrence.Monthly, 3, "2027-01-12T12:00Z 2027-02-12T12:00Z 2027-03-12T12:00Z")]
    // Weekly at 02:30 Berlin: on 2027-03-28 02:30 does not exist; read with the offset before the gap (03:30 CEST).
    [InlineData("Europe/Berlin", "2027-03-21T02:30", MeetingRecurrence.Weekly, 3, "2027-03-21T01:30Z 2027-03-28T01:30Z 2027-04-04T00:30Z")]
    // Weekly at 02:30 Berlin into the autumn change: 2027-10-31 02:30 happens twice; RFC 5545 takes the first (CEST).
    [InlineData("Europe/Berlin", "2027-10-24T02:30", MeetingRecurrence.Weekly, 3, "2027-10-24T00:30Z 2027-10-31T00:30Z 2027-11-07T01:30Z")]
    public void A_repeating_meeting_keeps_its_local_time_across_dst(string zone, string local, MeetingRecurrence recurrence, int count, string utc)
    {
        var occurrences = Book(zone, local, recurrence: recurrence, count: count).ShouldNotBeNull();

        occurrences.Select(o => o.Start.UtcDateTime).ShouldBe(utc.Split(' ').Select(Utc));
    }

    [Theory]
    [InlineData("Europe/Berlin", "2027-03-16T14:00", MeetingRecurrence.Weekly, 10)]
    [InlineData("America/New_York", "2027-10-25T09:00", MeetingRecurrence.Biweekly, 6)]
    [InlineData("Australia/Sydney", "2027-03-20T10:00", MeetingRecurrence.Weekly, 8)]
    [InlineData("Europe/London", "2027-01-05T16:00", MeetingRecurrence.Monthly, 12)]
    public void The_occurrences_are_those_a_calendar_client_computes_from_the_invitation(string zone, string local, MeetingRecurrence recurrence, int count)
    {
        var mine = Book(zone, local, recurrence: recurrence, count: count).ShouldNotBeNull();

        // Ical.Net (NodaTime's tzdb) expands the RRULE of what we write; ours come from TimeZoneInfo (the system's tzdata).
        var vevent = new CalendarEvent
        {
            DtStart = new CalDateTime(DateTime.Parse(local, CultureInfo.InvariantCulture), zone),
            Duration = Duration.FromTimeSpanExact(TimeSpan.FromHours(1)),
            RecurrenceRule = new RecurrencePattern(recurrence == MeetingRecurrence.Monthly ? FrequencyType.Monthly : FrequencyType.Weekly, recurrence == MeetingRecurrence.Biweekly ? 2 : 1) { Count = count },
        };
        var theirs = vevent.GetOccurrences(new CalDateTime(2027, 1, 1, 0, 0, 0, "UTC")).Select(o => o.Period.StartTime.AsUtc).ToList();

        theirs.ShouldBe(mine.Select(o => o.Start.UtcDateTime));
    }

    [Theory]
    [InlineData("Europe/Berlin", "2026-12-01T14:00", 60, MeetingRecurrence.None, null, "is in the past")]
    [InlineData("Europe/Berlin", "2027-01-12T14:00", 0, MeetingRecurrence.None, null, "from 5 minutes to 24 hours, not 0 minutes")]
    [InlineData("Europe/Berlin", "2027-01-12T14:00", 43200, MeetingRecurrence.None, null, "not 30 days")]
    [InlineData("Mars/Olympus_Mons", "2027-01-12T14:00", 60, MeetingRecurrence.None, null, "'Mars/Olympus_Mons' is not a time zone")]
    [InlineData("../../etc/passwd", "2027-01-12T14:00", 60, MeetingRecurrence.None, null, "is not a time zone")]
    [InlineData("Europe/Berlin", "2027-03-28T02:30", 60, MeetingRecurrence.None, null, "2027-03-28 02:30 does not exist in Europe/Berlin")]
    [InlineData("America/New_York", "2027-03-14T02:15", 60, MeetingRecurrence.None, null, "does not exist in America/New_York")]
    [InlineData("Europe/Berlin", "2027-10-31T02:30", 60, MeetingRecurrence.None, null, "2027-10-31 02:30 happens twice in Europe/Berlin")]
    [InlineData("America/New_York", "2027-11-07T01:30", 60, MeetingRecurrence.None, null, "happens twice in America/New_York")]
    [InlineData("Europe/Berlin", "2027-01-31T14:00", 60, MeetingRecurrence.Monthly, 3, "starts on day 1 to 28")]
    [InlineData("Europe/Berlin", "2027-01-12T14:00", 60, MeetingRecurrence.Weekly, null, "needs its number of occurrences")]
    [InlineData("Europe/Berlin", "2027-01-12T14:00", 60, MeetingRecurrence.Weekly, 61, "2 to 60 times, not 61")]
    [InlineData("Europe/Berlin", "2027-01-12T14:00", 60, MeetingRecurrence.None, 3, "takes place once")]
    [InlineData("Europe/Berlin", "2028-02-12T14:00", 60, MeetingRecurrence.None, null, "at most 366 days ahead")]
    public void A_bad_request_is_refused_with_what_to_change(string zone, string local, int minutes, MeetingRecurrence recurrence, int? count, string expected)
    {
        Book(zone, local, minutes, recurrence, count, out var problem).ShouldBeNull();

        problem.ShouldNotBeNull().ShouldContain(expected);
    }

    [Fact]
    public void Conflicts_are_the_sigs_own_overlapping_meetings_and_a_full_platform_account()
    {
        var weekly = Book("Europe/Berlin", "2027-01-12T14:00", recurrence: MeetingRecurrence.Weekly, count: 4).ShouldNotBeNull();
        var booked = new[]
        {
            new BookedMeeting(1, "sig-release", "release weekly", "zoom", weekly),
            new BookedMeeting(2, "sig-kernel", "kernel sync", "zoom", Book("Europe/Berlin", "2027-01-19T14:30").ShouldNotBeNull()),
        };

        // The third occurrence of a weekly meeting collides with a one-off of the same SIG.
        MeetingConflicts.Find(booked, "sig-release", "tencent", Book("Europe/Berlin", "2027-01-26T14:30").ShouldNotBeNull(), platformLimit: 2)
            .ShouldNotBeNull().ShouldContain("sig-release already meets then: 'release weekly' (meeting 1) 2027-01-26 13:00–14:00 UTC");
        // Back to back is fine.
        MeetingConflicts.Find(booked, "sig-release", "tencent", Book("Europe/Berlin", "2027-01-12T15:00").ShouldNotBeNull(), platformLimit: 2).ShouldBeNull();
        // Another SIG at the same time, on an account that holds two meetings at once: full.
        MeetingConflicts.Find(booked, "sig-docs", "zoom", Book("Europe/Berlin", "2027-01-19T14:45", minutes: 30).ShouldNotBeNull(), platformLimit: 2)
            .ShouldNotBeNull().ShouldContain("the zoom account holds 2 meeting(s)");
        MeetingConflicts.Find(booked, "sig-docs", "zoom", Book("Europe/Berlin", "2027-01-19T14:45", minutes: 30).ShouldNotBeNull(), platformLimit: 3).ShouldBeNull();
    }

    internal static IReadOnlyList<MeetingOccurrence>? Book(string zone, string local, int minutes = 60, MeetingRecurrence recurrence = MeetingRecurrence.None, int? count = null) =>
        Book(zone, local, minutes, recurrence, count, out _);

    private static IReadOnlyList<MeetingOccurrence>? Book(string zone, string local, int minutes, MeetingRecurrence recurrence, int? count, out string? problem) =>
        MeetingTimes.Occurrences(
            new MeetingRequest("sig-release", "release", DateTime.Parse(local, CultureInfo.InvariantCulture), zone, TimeSpan.FromMinutes(minutes), "zoom", recurrence, count),
            Now, out problem);

    private static DateTime Utc(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
