using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Meetings.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Meetings.Server;

/// <summary>
/// Sends the pending mails of <c>meeting_mails</c>: each is marked sent once the mail server took it; a failure the
/// server may get over is tried again with a growing wait, up to <c>MaxAttempts</c>. An invitation or update overtaken
/// by a later change of its meeting is not sent (the later one carries everything, with a higher SEQUENCE).
/// </summary>
public sealed partial class MeetingMailer(ForgelineDbContext db, MeetingMail mail, IOptions<MeetingsOptions> options, TimeProvider time, ILogger<MeetingMailer> logger)
{
    /// <summary>A mail not yet taken by the mail server.</summary>
    public const string Pending = "pending";

    /// <summary>A mail the mail server took.</summary>
    public const string Sent = "sent";

    /// <summary>A mail given up (its error says why).</summary>
    public const string Failed = "failed";

    /// <summary>A mail a later change of its meeting made pointless.</summary>
    public const string Superseded = "superseded";

    /// <summary>Sends what is due; true when it did anything.</summary>
    public async Task<bool> SendDueAsync(CancellationToken cancellationToken)
    {
        if (mail.Mailer is not { } mailer)
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.MeetingMails.Where(m => m.State == Pending && m.NextAttemptAt <= now).OrderBy(m => m.Id).Take(20).ToListAsync(cancellationToken);
        foreach (var message in due)
        {
            var meeting = await db.Meetings.FirstOrDefaultAsync(m => m.Id == message.MeetingId, cancellationToken);
            if (meeting is null || Overtaken(message, meeting))
            {
                message.State = Superseded;
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            await SendAsync(mailer, message, meeting, cancellationToken);
        }

        return due.Count > 0;
    }

    // An invitation or update with an older SEQUENCE than its meeting's: a later mail tells the whole meeting.
    private static bool Overtaken(MeetingMailRecord message, MeetingRecord meeting) =>
        message.Kind == "reminder" ? meeting.State != MeetingRows.Scheduled || message.Sequence != meeting.Sequence : message.Sequence < meeting.Sequence;

    private async Task SendAsync(InvitationMailer mailer, MeetingMailRecord message, MeetingRecord meeting, CancellationToken cancellationToken)
    {
        var calendarEvent = MeetingRows.Event(meeting, mail.UidDomain);
        message.Attempts++;
        try
        {
            if (message.Kind == "reminder")
            {
                var start = MeetingRows.Occurrences(meeting)[message.Occurrence].Start;
                await mailer.SendAsync(mailer.ComposeReminder(calendarEvent, message.Occurrence, start, message.To), cancellationToken);
            }
            else
            {
                await mailer.SendAsync(calendarEvent, message.To, cancellationToken);
            }

            message.State = Sent;
            message.SentAt = time.GetUtcNow().UtcDateTime;
            message.Error = null;
        }
        catch (MailDeliveryException e)
        {
            message.Error = e.Message;
            if (e.Retryable && message.Attempts < options.Value.MaxAttempts)
            {
                message.NextAttemptAt = time.GetUtcNow().UtcDateTime + Backoff(message.Attempts);
                LogRetry(logger, message.Kind, meeting.Id, message.To, e.Message);
            }
            else
            {
                message.State = Failed;
                LogGaveUp(logger, message.Kind, meeting.Id, message.To, message.Attempts, e.Message);
            }
        }

        // Saved even when the caller is stopping: the server has the message, and it must not go twice.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1: 10 s doubling, at most an hour.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, 10 * Math.Pow(2, Math.Max(0, attempts - 1))));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meetings: the {Kind} of meeting {Meeting} to {List} was not sent, trying again later: {Problem}")]
    private static partial void LogRetry(ILogger logger, string kind, long meeting, string list, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Meetings: gave up the {Kind} of meeting {Meeting} to {List} after {Attempts} attempt(s): {Problem}")]
    private static partial void LogGaveUp(ILogger logger, string kind, long meeting, string list, int attempts, string problem);
}
