using System.Globalization;
using System.Text.RegularExpressions;
using Forgeline.Core.Meetings;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary>How <c>forgeline meeting</c> reads durations and the local time zone, and prints meetings and statistics.</summary>
public static partial class MeetingOutput
{
    /// <summary>Minutes of a duration written <c>1h</c>, <c>90m</c>, <c>1h30m</c> or <c>45</c> (minutes).</summary>
    public static int Minutes(string text)
    {
        var match = DurationPattern().Match(text?.Trim() ?? "");
        if (!match.Success || (!match.Groups["h"].Success && !match.Groups["m"].Success && !match.Groups["n"].Success))
        {
            throw new CliException($"'{text}' is not a duration; write 1h, 90m, 1h30m or minutes (45)");
        }

        static int Number(Group g) => g.Success ? int.Parse(g.Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;
        return match.Groups["n"].Success ? Number(match.Groups["n"]) : (Number(match.Groups["h"]) * 60) + Number(match.Groups["m"]);
    }

    /// <summary>This machine's IANA time zone, or <c>UTC</c> when it has none.</summary>
    public static string LocalTimeZone()
    {
        var local = TimeZoneInfo.Local;
        if (local.HasIanaId)
        {
            return local.Id == "Etc/UTC" ? "UTC" : local.Id;
        }

        return TimeZoneInfo.TryConvertWindowsIdToIanaId(local.Id, out var iana) ? iana : "UTC";
    }

    /// <summary>When, where and how to join, after a booking or a change.</summary>
    public static void Summary(MeetingDto meeting)
    {
        AnsiConsole.MarkupLine($"  when:     {Markup.Escape(When(meeting))}{Markup.Escape(Repeats(meeting))}");
        AnsiConsole.MarkupLine($"  platform: {Markup.Escape(meeting.Platform)}");
        AnsiConsole.MarkupLine($"  join:     {Markup.Escape(meeting.JoinUrl)}");
        AnsiConsole.MarkupLine($"  passcode: {Markup.Escape(meeting.Passcode.Length > 0 ? meeting.Passcode : "(none)")}");
    }

    /// <summary>Everything about one meeting.</summary>
    public static void Details(MeetingDto meeting)
    {
        AnsiConsole.MarkupLine($"meeting [bold]{meeting.Id}[/] of {Markup.Escape(meeting.Sig)}: [bold]{Markup.Escape(meeting.Title)}[/] ({Markup.Escape(meeting.State)})");
        Summary(meeting);
        AnsiConsole.MarkupLine($"  agenda:   {Markup.Escape(meeting.Agenda ?? "(none)")}");
        AnsiConsole.MarkupLine($"  booked:   by {Markup.Escape(meeting.CreatedBy)} at {Utc(meeting.CreatedAt)}, changed {meeting.Sequence} times");
        AnsiConsole.MarkupLine(meeting.Upcoming.Count == 0 ? "upcoming: none" : "upcoming:");
        foreach (var start in meeting.Upcoming)
        {
            AnsiConsole.MarkupLine($"  {Markup.Escape(Local(start, meeting.TimeZone))} ({Utc(start)})");
        }

        if (meeting.Recordings.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title("recordings").AddColumns("Id", "Recorded", "State", "Size", "Download / videos");
        foreach (var r in meeting.Recordings)
        {
            var links = (r.Sha256 is null ? new List<string>() : [$"/api/v1/meetings/{meeting.Id}/recordings/{r.Id}"]).Concat(r.Videos.Select(v => $"{v.Platform}: {v.Url}"));
            table.AddRow(r.Id.ToString(CultureInfo.InvariantCulture), r.RecordedAt is { } at ? Utc(at) : "-", Markup.Escape(r.State + (r.Reason is { } why ? " — " + why : "")),
                r.Size is { } size ? $"{size / 1048576.0:F1} MiB" : "-", Markup.Escape(string.Join("\n", links)));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>The list: id, SIG, title, next start, platform, state.</summary>
    public static Table ListTable(IEnumerable<MeetingDto> meetings)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Id", "SIG", "Title", "Next start", "Platform", "State");
        foreach (var m in meetings)
        {
            var next = m.Upcoming.Count > 0 ? m.Upcoming[0] : m.Start;
            table.AddRow(m.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(m.Sig), Markup.Escape(m.Title),
                Markup.Escape(Local(next, m.TimeZone)), Markup.Escape(m.Platform), m.State == "cancelled" ? "[grey]cancelled[/]" : "[green]scheduled[/]");
        }

        return table;
    }

    /// <summary>SIG × month meeting counts.</summary>
    public static Table MonthTable(MeetingStatistics statistics)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("meetings per month").AddColumn("SIG");
        foreach (var month in statistics.Months)
        {
            table.AddColumn(new TableColumn(month).RightAligned());
        }

        foreach (var sig in statistics.Sigs)
        {
            var cells = statistics.Months.Select(month => statistics.Cells.FirstOrDefault(c => c.Sig == sig.Sig && c.Month == month) is { } cell
                ? cell.Meetings.ToString(CultureInfo.InvariantCulture) : "[grey]·[/]");
            table.AddRow([Markup.Escape(sig.Sig), .. cells]);
        }

        return table;
    }

    /// <summary>The SIGs that met most.</summary>
    public static Table TopTable(MeetingStatistics statistics)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("top SIGs").AddColumns("SIG", "Meetings", "Hours", "Participants");
        foreach (var sig in statistics.Sigs.Take(10))
        {
            table.AddRow(Markup.Escape(sig.Sig), sig.Meetings.ToString(CultureInfo.InvariantCulture), sig.Hours.ToString("0.##", CultureInfo.InvariantCulture),
                sig.Participants.ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static string When(MeetingDto meeting) =>
        $"{Local(meeting.Start, meeting.TimeZone)} ({Utc(meeting.Start)}), {meeting.DurationMinutes} min";

    private static string Repeats(MeetingDto meeting) =>
        meeting.Recurrence == "none" ? "" : $", {meeting.Recurrence} × {meeting.Occurrences}";

    private static string Local(DateTimeOffset time, string zone) =>
        time.ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + zone;

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?:(?<n>\d{1,4})|(?:(?<h>\d{1,2})h)?(?:(?<m>\d{1,4})m)?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
