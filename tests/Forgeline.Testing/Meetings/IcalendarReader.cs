using System.Text.Json;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// Reads iCalendar with a second, independent parser, Debian's python3-icalendar: the calendar's method and name, each
/// VTIMEZONE checked against tzdata around the DST changes of 2027, and each event (UID, sequence, status, start in UTC,
/// TZID, RRULE, summary, duration), as JSON.
/// </summary>
public static class IcalendarReader
{
    private const string Reader = """
        import sys, json, icalendar, pytz, datetime as dt
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
        zones = {}
        for tz in cal.walk('VTIMEZONE'):
            mine, ref = tz.to_tz(), pytz.timezone(str(tz['TZID']))
            days = [dt.datetime(2027, m, d, 12) for m, d in ((1, 12), (3, 27), (3, 29), (7, 1), (10, 30), (11, 1), (11, 8))]
            zones[str(tz['TZID'])] = all(mine.localize(d).utcoffset() == ref.localize(d).utcoffset() for d in days) and len(tz.subcomponents) > 0
        events = []
        for ev in cal.walk('VEVENT'):
            start = ev.decoded('DTSTART')
            events.append({'uid': str(ev['UID']), 'sequence': int(ev.get('SEQUENCE', 0)), 'status': str(ev.get('STATUS')),
                           'start': start.astimezone(dt.timezone.utc).strftime('%Y-%m-%dT%H:%MZ'), 'tzid': str(ev['DTSTART'].params.get('TZID')),
                           'rrule': ev['RRULE'].to_ical().decode() if ev.get('RRULE') else None, 'summary': str(ev['SUMMARY']),
                           'duration': int(ev.decoded('DURATION').total_seconds()) if ev.get('DURATION') else None})
        print(json.dumps({'method': str(cal.get('METHOD')), 'name': str(cal.get('X-WR-CALNAME')), 'zones': zones, 'events': events}))
        """;

    /// <summary>What python3-icalendar reads in <paramref name="ics"/>; fails the test when it cannot.</summary>
    public static async Task<JsonElement> ReadAsync(string ics)
    {
        using var directory = new TempDirectory("fl-ics");
        await File.WriteAllTextAsync(directory["meeting.ics"], ics);
        await File.WriteAllTextAsync(directory["read.py"], Reader);
        // Debian's python3 (the one with python3-icalendar), not whatever python3 comes first on PATH.
        var read = await ProcessRunner.RunAsync("/usr/bin/python3", [directory["read.py"], directory["meeting.ics"]]);
        if (read.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3-icalendar could not read the calendar: {read.Stderr}\n{ics}");
        }

        return JsonDocument.Parse(read.Stdout).RootElement.Clone();
    }
}
