using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forgeline.Meetings.Server;

/// <summary>
/// One pass of the meetings coordinator, from the database only (a restart loses nothing): reminders that came due
/// become mails (in the transaction that moves the meeting's next reminder on, so none is made twice), pending mails
/// are sent, reported recordings are fetched, stored and published.
/// </summary>
public sealed class MeetingCoordinatorPass(ForgelineDbContext db, MeetingMailer mailer, MeetingRecordings recordings, MeetingMail mail, IOptions<MeetingsOptions> options, TimeProvider time)
{
    /// <summary>Runs the pass; true when it changed something.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var changed = await RemindAsync(cancellationToken);
        changed |= await mailer.SendDueAsync(cancellationToken);
        changed |= await recordings.ProcessDueAsync(cancellationToken);
        return changed;
    }

    private async Task<bool> RemindAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.Meetings.Where(m => m.NextReminderAt != null && m.NextReminderAt <= now.UtcDateTime).OrderBy(m => m.NextReminderAt).Take(50).ToListAsync(cancellationToken);
        var lead = options.Value.ReminderLead;
        foreach (var meeting in due)
        {
            var occurrences = MeetingRows.Occurrences(meeting);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var next = meeting.NextReminderOccurrence;
            // Every occurrence whose reminder time has come and which has not started (after a long stop: those too).
            for (; next < occurrences.Count && occurrences[next].Start - lead <= now; next++)
            {
                if (occurrences[next].Start > now && mail.Mailer is not null && meeting.State == MeetingRows.Scheduled)
                {
                    db.MeetingMails.Add(new MeetingMailRecord
                    {
                        MeetingId = meeting.Id, Kind = "reminder", Sequence = meeting.Sequence, Occurrence = next, To = options.Value.ListOf(meeting.Sig),
                        State = MeetingMailer.Pending, NextAttemptAt = now.UtcDateTime,
                    });
                }
            }

            MeetingReminders.Advance(meeting, occurrences, lead, now, next);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return due.Count > 0;
    }
}
