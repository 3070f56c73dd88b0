using System.CommandLine;
using System.Globalization;
using Forgeline.Core.Meetings;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary>
/// <c>forgeline meeting create|list|show|edit|cancel|stats</c>: a SIG's community meetings, booked on Zoom, Tencent
/// Meeting or WeLink through the server, which mails the invitation to the SIG's list.
/// </summary>
public static class MeetingCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("meeting", "Community meetings of SIGs: book, change, cancel, list, statistics");
        command.Subcommands.Add(Book());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Edit());
        command.Subcommands.Add(Cancel());
        command.Subcommands.Add(Stats());
        return command;
    }

    private static Argument<long> IdArgument() => new("id") { Description = "The meeting ('forgeline meeting list' shows ids)" };

    private static Command Book()
    {
        var sig = new Option<string>("--sig") { Description = "The SIG (a group you are in)", Required = true };
        var title = new Option<string>("--title") { Description = "The title", Required = true };
        var start = new Option<string>("--start") { Description = "The first start, wall-clock time in --time-zone: 2027-01-12T14:00", Required = true };
        var zone = new Option<string?>("--time-zone") { Description = "An IANA time zone (default: this machine's, or UTC)" };
        var duration = new Option<string>("--duration") { Description = "How long: 1h, 90m, 1h30m or minutes (45)", DefaultValueFactory = _ => "1h" };
        var platform = new Option<string>("--platform") { Description = "zoom, tencent or welink", DefaultValueFactory = _ => "zoom" };
        var recurring = new Option<string?>("--recurring") { Description = "weekly, biweekly or monthly" };
        var count = new Option<int?>("--count") { Description = "How many times a repeating meeting takes place (2 to 60)" };
        var agenda = new Option<string?>("--agenda") { Description = "A link to the agenda" };
        var command = new Command("create", "Book a meeting: created on the platform, the invitation mailed to the SIG's list")
        {
            sig, title, start, zone, duration, platform, recurring, count, agenda,
        };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var every = parse.GetValue(recurring);
            var times = parse.GetValue(count);
            if (every is null && times is not null)
            {
                throw new CliException("--count needs --recurring weekly|biweekly|monthly");
            }

            var request = new MeetingBookingRequest(
                parse.GetValue(sig), parse.GetValue(title), parse.GetValue(start), parse.GetValue(zone) ?? MeetingOutput.LocalTimeZone(),
                MeetingOutput.Minutes(parse.GetValue(duration)!), parse.GetValue(platform), every ?? "none", every is null ? null : times, parse.GetValue(agenda));
            var meeting = await client.BookMeetingAsync(request, ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(meeting);
                return 0;
            }

            Console.WriteLine($"meeting {meeting.Id} booked for {meeting.Sig}: {meeting.Title}");
            MeetingOutput.Summary(meeting);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var sig = new Option<string?>("--sig") { Description = "Only this SIG's meetings" };
        var all = new Option<bool>("--all") { Description = "Cancelled meetings too" };
        var command = new Command("list", "Meetings with an occurrence from now on, soonest first") { sig, all };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var meetings = await client.ListMeetingsAsync(parse.GetValue(sig), parse.GetValue(all), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(meetings);
                return 0;
            }

            AnsiConsole.Write(MeetingOutput.ListTable(meetings));
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = IdArgument();
        var command = new Command("show", "One meeting: its times, join link, upcoming occurrences and recordings") { id };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var meeting = await client.GetMeetingAsync(parse.GetValue(id), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(meeting);
                return 0;
            }

            MeetingOutput.Details(meeting);
            return 0;
        }));
        return command;
    }

    private static Command Edit()
    {
        var id = IdArgument();
        var title = new Option<string?>("--title") { Description = "A new title" };
        var start = new Option<string?>("--start") { Description = "A new first start: 2027-01-12T14:00" };
        var zone = new Option<string?>("--time-zone") { Description = "A new IANA time zone" };
        var duration = new Option<string?>("--duration") { Description = "A new duration: 1h, 90m, 1h30m or minutes" };
        var agenda = new Option<string?>("--agenda") { Description = "A new agenda link" };
        var command = new Command("edit", "Change a meeting; the platform and the SIG's list hear of it") { id, title, start, zone, duration, agenda };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var minutes = parse.GetValue(duration) is { } text ? MeetingOutput.Minutes(text) : (int?)null;
            var request = new MeetingBookingRequest(
                Title: parse.GetValue(title), Start: parse.GetValue(start), TimeZone: parse.GetValue(zone), DurationMinutes: minutes, Agenda: parse.GetValue(agenda));
            if (request == new MeetingBookingRequest())
            {
                throw new CliException("nothing to change: give --title, --start, --time-zone, --duration or --agenda");
            }

            var meeting = await client.ChangeMeetingAsync(parse.GetValue(id), request, ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(meeting);
                return 0;
            }

            Console.WriteLine($"meeting {meeting.Id} changed: {meeting.Title}");
            MeetingOutput.Summary(meeting);
            return 0;
        }));
        return command;
    }

    private static Command Cancel()
    {
        var id = IdArgument();
        var command = new Command("cancel", "Cancel a meeting: deleted on the platform, the SIG's list gets the cancellation") { id };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var meeting = await client.CancelMeetingAsync(parse.GetValue(id), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(meeting);
                return 0;
            }

            Console.WriteLine($"meeting {meeting.Id} ({meeting.Title}) of {meeting.Sig}: {meeting.State}");
            return 0;
        }));
        return command;
    }

    private static Command Stats()
    {
        var from = new Option<string?>("--from") { Description = "The first month: 2027-01 (default: 11 months before --to)" };
        var to = new Option<string?>("--to") { Description = "The last month: 2027-06 (default: this month)" };
        var csv = new Option<bool>("--csv") { Description = "Print CSV (sig,month,meetings,hours,participants)" };
        var command = new Command("stats", "Meetings per SIG per month, and the SIGs that met most") { from, to, csv };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            if (parse.GetValue(csv))
            {
                Console.Write(await client.MeetingStatisticsCsvAsync(parse.GetValue(from), parse.GetValue(to), ct));
                return 0;
            }

            var statistics = await client.MeetingStatisticsAsync(parse.GetValue(from), parse.GetValue(to), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(statistics);
                return 0;
            }

            if (statistics.Sigs.Count == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"no meetings from {statistics.Months[0]} to {statistics.Months[^1]}"));
                return 0;
            }

            AnsiConsole.Write(MeetingOutput.MonthTable(statistics));
            AnsiConsole.Write(MeetingOutput.TopTable(statistics));
            return 0;
        }));
        return command;
    }
}
