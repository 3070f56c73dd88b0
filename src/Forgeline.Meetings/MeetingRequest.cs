namespace Forgeline.Meetings;

/// <summary>How a meeting repeats: not at all, every week, every other week, or on the same day of every month.</summary>
public enum MeetingRecurrence
{
    /// <summary>Once.</summary>
    None,

    /// <summary>Every week at the same local time.</summary>
    Weekly,

    /// <summary>Every other week at the same local time.</summary>
    Biweekly,

    /// <summary>On the same day of each month (1–28) at the same local time.</summary>
    Monthly,
}

/// <summary>
/// What someone asks for when booking: a SIG's meeting at a local wall-clock time in an IANA time zone, for a
/// duration, on a platform, once or repeating.
/// </summary>
/// <param name="Sig">The SIG (a group) the meeting belongs to.</param>
/// <param name="Title">What people see.</param>
/// <param name="LocalStart">The first start as a wall-clock time in <paramref name="TimeZone"/> (its kind is ignored).</param>
/// <param name="TimeZone">An IANA time zone, e.g. <c>Asia/Shanghai</c>.</param>
/// <param name="Duration">How long each occurrence lasts.</param>
/// <param name="Platform">The meeting platform (<c>zoom</c>, <c>tencent</c>, <c>welink</c>).</param>
/// <param name="Recurrence">How it repeats.</param>
/// <param name="Occurrences">How many times a repeating meeting takes place (the first included).</param>
/// <param name="Agenda">A link to the agenda, or null.</param>
public sealed record MeetingRequest(
    string Sig,
    string Title,
    DateTime LocalStart,
    string TimeZone,
    TimeSpan Duration,
    string Platform,
    MeetingRecurrence Recurrence = MeetingRecurrence.None,
    int? Occurrences = null,
    string? Agenda = null);

/// <summary>One occurrence of a meeting: when it starts and ends, as instants (their offsets those of its time zone then).</summary>
public sealed record MeetingOccurrence(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Whether it shares any time with <paramref name="other"/> (one ending as the other starts does not).</summary>
    public bool Overlaps(MeetingOccurrence other) => Start < other.End && other.Start < End;
}
