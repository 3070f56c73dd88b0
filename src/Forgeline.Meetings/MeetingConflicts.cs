using System.Globalization;

namespace Forgeline.Meetings;

/// <summary>A meeting already booked, as far as conflicts are concerned.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Sig">Its SIG.</param>
/// <param name="Title">Its title.</param>
/// <param name="Platform">The platform account it runs on.</param>
/// <param name="Occurrences">When it takes place.</param>
public sealed record BookedMeeting(long Id, string Sig, string Title, string Platform, IReadOnlyList<MeetingOccurrence> Occurrences);

/// <summary>
/// What a new meeting may not do: meet while its SIG already meets, or run on a platform account that already holds as
/// many meetings at once as it may.
/// </summary>
public static class MeetingConflicts
{
    /// <summary>
    /// Why <paramref name="wanted"/> of <paramref name="sig"/> on <paramref name="platform"/> cannot be booked beside
    /// <paramref name="booked"/> (the meeting being edited left out by its caller), or null.
    /// </summary>
    /// <param name="platformLimit">How many meetings the platform account may hold at once.</param>
    public static string? Find(IEnumerable<BookedMeeting> booked, string sig, string platform, IReadOnlyList<MeetingOccurrence> wanted, int platformLimit)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var others = booked.ToList();
        foreach (var occurrence in wanted)
        {
            foreach (var meeting in others.Where(m => m.Sig == sig))
            {
                if (meeting.Occurrences.FirstOrDefault(occurrence.Overlaps) is { } clash)
                {
                    return $"{sig} already meets then: '{meeting.Title}' (meeting {meeting.Id}) {When(clash)} overlaps {When(occurrence)}";
                }
            }

            var busy = others.Where(m => m.Platform == platform && m.Occurrences.Any(occurrence.Overlaps)).ToList();
            if (busy.Count >= platformLimit)
            {
                return $"the {platform} account holds {busy.Count} meeting(s) during {When(occurrence)} ({string.Join(", ", busy.Select(m => $"'{m.Title}'"))}), " +
                    $"as many as it may at once ({platformLimit}); choose another time or platform";
            }
        }

        return null;
    }

    private static string When(MeetingOccurrence occurrence) =>
        $"{occurrence.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}–{occurrence.End.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC";
}
