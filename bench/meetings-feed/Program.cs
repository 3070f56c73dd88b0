// bench/meetings-feed: the community feed of N meetings (4 time zones, one in ten repeating weekly 10 times, a tenth
// cancelled) written by MeetingCalendar.Feed (Ical.Net), beside the same feed written by Debian's python3-icalendar
// (pytz zones, the same events). Both warm: 3 unreported rounds, then the median of 20, each timed inside its own
// process (no process start). Prints RESULT lines.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Forgeline.Meetings;
using Forgeline.Testing;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
string[] zones = ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"];
var meetings = Enumerable.Range(0, count).Select(i => new MeetingEvent(
    $"meeting-{i}@forgeline.example", $"sig-{i % 40} meeting {i}", $"Agenda: https://etherpad.example/p/{i}\nJoin: https://zoom.example/j/{1000 + i}",
    $"https://zoom.example/j/{1000 + i}", new DateTime(2027, 1, 4, 9, 0, 0).AddHours(i * 7), zones[i % zones.Length], TimeSpan.FromMinutes(60),
    i % 10 == 0 ? MeetingRecurrence.Weekly : MeetingRecurrence.None, i % 10 == 0 ? 10 : null, Sequence: i % 3, Cancelled: i % 10 == 5)).ToList();
var stamp = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

var forgeline = new List<double>();
var length = 0;
for (var round = 0; round < 23; round++)
{
    var clock = Stopwatch.StartNew();
    var feed = MeetingCalendar.Feed("community meetings", meetings, stamp);
    var ms = clock.Elapsed.TotalMilliseconds;
    length = feed.Length;
    if (round >= 3)
    {
        forgeline.Add(ms);
    }
}

using var work = new TempDirectory("forgeline-bench-feed");
await File.WriteAllTextAsync(work["meetings.json"], JsonSerializer.Serialize(meetings.Select(m => new
{
    uid = m.Uid, title = m.Title, description = m.Description, url = m.JoinUrl, start = m.LocalStart.ToString("s", CultureInfo.InvariantCulture), zone = m.TimeZone,
    minutes = (int)m.Duration.TotalMinutes, weekly = m.Recurrence == MeetingRecurrence.Weekly ? m.Occurrences : null, sequence = m.Sequence, cancelled = m.Cancelled,
})));
await File.WriteAllTextAsync(work["feed.py"], """
    import sys, json, time, datetime as dt, icalendar, pytz
    meetings = json.load(open(sys.argv[1]))
    times = []
    for round in range(23):
        t = time.perf_counter()
        cal = icalendar.Calendar()
        cal.add('prodid', '-//bench//python-icalendar//EN'); cal.add('version', '2.0'); cal.add('method', 'PUBLISH')
        cal.add('x-wr-calname', 'community meetings')
        for m in meetings:
            tz = pytz.timezone(m['zone'])
            start = tz.localize(dt.datetime.fromisoformat(m['start']))
            ev = icalendar.Event()
            ev.add('uid', m['uid']); ev.add('summary', m['title']); ev.add('description', m['description'])
            if m['url']: ev.add('location', m['url']); ev.add('url', m['url'])
            ev.add('dtstart', start); ev.add('duration', dt.timedelta(minutes=m['minutes'])); ev.add('sequence', m['sequence'])
            ev.add('status', 'CANCELLED' if m['cancelled'] else 'CONFIRMED'); ev.add('dtstamp', dt.datetime(2026, 12, 7, 12, tzinfo=dt.timezone.utc))
            if m['weekly']: ev.add('rrule', {'freq': 'weekly', 'count': m['weekly']})
            cal.add_component(ev)
        text = cal.to_ical()
        if round >= 3: times.append((time.perf_counter() - t) * 1000)
    print(json.dumps({'ms': times, 'bytes': len(text)}))
    """);
var peer = await ProcessRunner.RunAsync("/usr/bin/python3", [work["feed.py"], work["meetings.json"]], timeout: TimeSpan.FromMinutes(5));
if (peer.ExitCode != 0)
{
    throw new InvalidOperationException($"python3-icalendar failed: {peer.Stderr}");
}

var answer = JsonDocument.Parse(peer.Stdout).RootElement;
var python = answer.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()).ToList();
string F(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
Console.WriteLine($"forgeline: {string.Join(" ", forgeline.Select(F))} ms ({length / 1024} KiB, with a VTIMEZONE per zone)");
Console.WriteLine($"python3-icalendar: {string.Join(" ", python.Select(F))} ms ({answer.GetProperty("bytes").GetInt32() / 1024} KiB, TZID only: it writes no VTIMEZONE)");
Console.WriteLine($"RESULT meetings-feed ({count} meetings, median of 20) = {F(BenchStatistics.Median(forgeline))} ms; peer python3-icalendar = {F(BenchStatistics.Median(python))} ms; ratio {(BenchStatistics.Median(forgeline) / BenchStatistics.Median(python)).ToString("0.00", CultureInfo.InvariantCulture)}; goal < 100 ms");
