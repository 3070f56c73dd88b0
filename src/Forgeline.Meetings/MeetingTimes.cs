using System.Globalization;

namespace Forgeline.Meetings;

/// <summary>
/// The rules of a meeting's time: a start that exists and is not past, a sensible duration, a known time zone, and its
/// occurrences as instants. Local times follow RFC 5545 (3.3.5), as calendar clients read the invitation: a wall-clock
/// time that happens twice (clocks going back) is its first occurrence; one that does not exist (clocks going
/// forward) is read with the offset before the gap, so a weekly 02:30 becomes 03:30 on that one day. A first start
/// that does not exist, or exists twice, is refused instead: the person typed a time that will never be on a clock, or
/// one that calendar clients read differently (python-icalendar and pytz take the second of a doubled time).
/// </summary>
public static class MeetingTimes
{
    /// <summary>The shortest meeting.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromMinutes(5);

    /// <summary>The longest meeting (Zoom's meetings end after 24 hours too).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    /// <summary>The most occurrences a repeating meeting may have (Zoom's limit for a recurring meeting).</summary>
    public const int MaxOccurrences = 60;

    /// <summary>The furthest ahead a meeting may start.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(366);

    /// <summary>
    /// The occurrences of <paramref name="request"/> as instants, or null with <paramref name="problem"/> saying what to
    /// change; <paramref name="now"/> is the booking's moment.
    /// </summary>
    public static IReadOnlyList<MeetingOccurrence>? Occurrences(MeetingRequest request, DateTimeOffset now, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        problem = null;
        if (Zone(request.TimeZone) is not { } zone)
        {
            problem = $"'{request.TimeZone}' is not a time zone: use an IANA name such as Asia/Shanghai, Europe/Berlin or UTC";
            return null;
        }

        var local = DateTime.SpecifyKind(request.LocalStart, DateTimeKind.Unspecified);
        if (request.Duration < MinDuration || request.Duration > MaxDuration)
        {
            problem = $"a meeting lasts from {MinDuration.TotalMinutes:0} minutes to {MaxDuration.TotalHours:0} hours, not {Describe(request.Duration)}";
            return null;
        }

        if (zone.IsInvalidTime(local))
        {
            problem = $"{Local(local)} does not exist in {request.TimeZone}: the clocks go forward then; choose another time";
            return null;
        }

        if (zone.IsAmbiguousTime(local))
        {
            problem = $"{Local(local)} happens twice in {request.TimeZone}: the clocks go back then, and calendar clients do not agree which one is meant; choose another time";
            return null;
        }

        var count = request.Recurrence == MeetingRecurrence.None ? 1 : request.Occurrences ?? 0;
        problem = (request.Recurrence, request.Occurrences) switch
        {
            (MeetingRecurrence.None, not null and not 1) => "a meeting that does not repeat takes place once; give a recurrence to have more",
            (not MeetingRecurrence.None, null) => "a repeating meeting needs its number of occurrences (2 or more)",
            (not MeetingRecurrence.None, < 2 or > MaxOccurrences) => $"a repeating meeting takes place 2 to {MaxOccurrences} times, not {request.Occurrences}",
            (MeetingRecurrence.Monthly, _) when local.Day > 28 => $"a monthly meeting starts on day 1 to 28 of a month (not every month has a {local.Day}th), not on {Local(local)}",
            _ => null,
        };
        if (problem is not null)
        {
            return null;
        }

        var first = Instant(local, zone);
        if (first <= now)
        {
            problem = $"{Local(local)} {request.TimeZone} ({first.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC) is in the past";
            return null;
        }

        if (first - now > MaxAhead)
        {
            problem = $"a meeting may be booked at most {MaxAhead.TotalDays:0} days ahead";
            return null;
        }

        return Expand(local, zone, request.Duration, request.Recurrence, count);
    }

    /// <summary>
    /// The <paramref name="count"/> occurrences of a meeting first starting at <paramref name="localStart"/> in
    /// <paramref name="zone"/>, without any check (for meetings already booked).
    /// </summary>
    public static IReadOnlyList<MeetingOccurrence> Expand(DateTime localStart, TimeZoneInfo zone, TimeSpan duration, MeetingRecurrence recurrence, int count)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = DateTime.SpecifyKind(localStart, DateTimeKind.Unspecified);
        var occurrences = new List<MeetingOccurrence>(count);
        for (var i = 0; i < count; i++)
        {
            var start = Instant(Nth(local, recurrence, i), zone);
            occurrences.Add(new MeetingOccurrence(start, Instant(start, duration, zone)));
        }

        return occurrences;
    }

    /// <summary>The time zone of an IANA name, or null when this machine's tzdata does not know it.</summary>
    public static TimeZoneInfo? Zone(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The instant a wall-clock time in <paramref name="zone"/> stands for, by RFC 5545's rules (see the class).</summary>
    public static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            // The first time the clock shows it: before the clocks go back, with the larger offset.
            return new DateTimeOffset(local, zone.GetAmbiguousTimeOffsets(local).Max());
        }

        if (zone.IsInvalidTime(local))
        {
            // In the gap: read with the offset in force just before it (a few hours earlier is before any transition).
            return new DateTimeOffset(local, zone.GetUtcOffset(local.AddHours(-6)));
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    // An occurrence ends its duration later in real time, shown with the zone's offset at that moment.
    private static DateTimeOffset Instant(DateTimeOffset start, TimeSpan duration, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(start + duration, zone);

    /// <summary>The <paramref name="index"/>-th start (from 0) as a wall-clock time: the local time repeats, not the instant.</summary>
    private static DateTime Nth(DateTime first, MeetingRecurrence recurrence, int index) => recurrence switch
    {
        MeetingRecurrence.Weekly => first.AddDays(7 * index),
        MeetingRecurrence.Biweekly => first.AddDays(14 * index),
        MeetingRecurrence.Monthly => first.AddMonths(index),
        _ => first,
    };

    private static string Local(DateTime local) => local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Describe(TimeSpan duration) =>
        duration.TotalHours >= 48 ? $"{duration.TotalDays:0.#} days" : duration.TotalMinutes >= 120 ? $"{duration.TotalHours:0.#} hours" : $"{duration.TotalMinutes:0.#} minutes";
}
