using Forgeline.Data.Entities;

namespace Forgeline.Meetings.Server;

/// <summary>When a meeting's next reminder is due: <c>ReminderLead</c> before each occurrence still ahead.</summary>
public static class MeetingReminders
{
    /// <summary>
    /// Points <paramref name="row"/>'s next reminder at the first occurrence from <paramref name="from"/> on whose
    /// reminder time is after <paramref name="now"/> (none: no reminder left, or reminders are off).
    /// </summary>
    public static void Advance(MeetingRecord row, IReadOnlyList<MeetingOccurrence> occurrences, TimeSpan lead, DateTimeOffset now, int from = 0)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(occurrences);
        row.NextReminderAt = null;
        row.NextReminderOccurrence = 0;
        if (lead <= TimeSpan.Zero || row.State != MeetingRows.Scheduled)
        {
            return;
        }

        for (var i = from; i < occurrences.Count; i++)
        {
            if (occurrences[i].Start - lead > now)
            {
                row.NextReminderAt = (occurrences[i].Start - lead).UtcDateTime;
                row.NextReminderOccurrence = i;
                return;
            }
        }
    }
}
