using System.Globalization;
using Forgeline.Core.Meetings;
using Forgeline.Data.Entities;

namespace Forgeline.Meetings.Server;

/// <summary>Reads a booking or change from the API into a <see cref="MeetingRequest"/>, saying what is wrong.</summary>
public static class MeetingRequestReader
{
    /// <summary>The longest title (Zoom's limit).</summary>
    public const int MaxTitle = 200;

    private static readonly string[] StartFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>
    /// The request <paramref name="body"/> asks for; fields it leaves out are <paramref name="current"/>'s (a change)
    /// or the defaults (a booking). Null with <paramref name="problem"/> when something is wrong.
    /// </summary>
    public static MeetingRequest? Read(MeetingBookingRequest body, MeetingRecord? current, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(body);
        var was = current is null ? null : MeetingRows.Request(current);
        problem = null;
        var sig = (body.Sig ?? was?.Sig)?.Trim();
        var title = (body.Title ?? was?.Title)?.Trim();
        var agenda = body.Agenda is null ? was?.Agenda : body.Agenda.Trim() is { Length: > 0 } a ? a : null;
        var platform = (body.Platform ?? was?.Platform)?.Trim().ToLowerInvariant();
        if (current is not null && body.Sig is not null && body.Sig != current.Sig)
        {
            problem = "a meeting stays with its SIG; cancel it and book one for the other SIG";
        }
        else if (current is not null && body.Platform is not null && !string.Equals(body.Platform, current.Platform, StringComparison.OrdinalIgnoreCase))
        {
            problem = "a meeting stays on its platform; cancel it and book one on the other platform";
        }
        else if (string.IsNullOrEmpty(sig))
        {
            problem = "name the SIG the meeting belongs to (sig)";
        }
        else if (string.IsNullOrEmpty(title))
        {
            problem = "give the meeting a title";
        }
        else if (title.Length > MaxTitle || title.Any(char.IsControl))
        {
            problem = $"a title is one line of at most {MaxTitle} characters";
        }
        else if (agenda is not null && (agenda.Length > 2000 || !Uri.TryCreate(agenda, UriKind.Absolute, out var link) || link.Scheme is not ("http" or "https")))
        {
            problem = $"the agenda is a link (http or https), not '{(agenda.Length > 80 ? agenda[..80] + "…" : agenda)}'";
        }
        else if (string.IsNullOrEmpty(platform))
        {
            problem = "name the platform (zoom, tencent or welink)";
        }

        if (problem is not null)
        {
            return null;
        }

        DateTime start;
        if (body.Start is { } text)
        {
            if (!DateTime.TryParseExact(text.Trim(), StartFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out start))
            {
                problem = $"the start is a local time like 2027-01-12T14:00, not '{text}'";
                return null;
            }
        }
        else if (was is not null)
        {
            start = was.LocalStart;
        }
        else
        {
            problem = "give the first start, a local time like 2027-01-12T14:00";
            return null;
        }

        var recurrence = was?.Recurrence ?? MeetingRecurrence.None;
        if (body.Recurrence is { } r)
        {
            if (!Enum.TryParse(r, ignoreCase: true, out recurrence) || int.TryParse(r, out _))
            {
                problem = $"a meeting repeats none, weekly, biweekly or monthly, not '{r}'";
                return null;
            }
        }

        var occurrences = body.Occurrences ?? (body.Recurrence is null ? was?.Occurrences : null);
        if (recurrence == MeetingRecurrence.None && body.Occurrences is null)
        {
            occurrences = null;
        }

        var minutes = body.DurationMinutes ?? (int?)was?.Duration.TotalMinutes ?? 60;
        return new MeetingRequest(sig!, title!, start, (body.TimeZone ?? was?.TimeZone ?? "UTC").Trim(), TimeSpan.FromMinutes(minutes), platform!, recurrence, occurrences, agenda);
    }
}
