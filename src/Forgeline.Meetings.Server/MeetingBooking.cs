using Forgeline.Core;
using Forgeline.Core.Accounts;
using Forgeline.Core.Meetings;
using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Forgeline.Meetings.Platforms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Meetings.Server;

/// <summary>
/// Books, changes and cancels SIG meetings: who may (the SIG's members), when (the time rules and conflicts), on the
/// platform first and then in the database with the mail to the list and the CloudEvent in one transaction. A meeting
/// the platform created but the database could not store is deleted from the platform again; a change the database
/// could not store is undone on the platform.
/// </summary>
public sealed partial class MeetingBooking(
    ForgelineDbContext db, IPrincipalDirectory directory, MeetingPlatforms platforms, MeetingMail mail, MeetingsGate gate, MeetingsSignal signal,
    IOptions<MeetingsOptions> options, TimeProvider time, ILogger<MeetingBooking> logger)
{
    /// <summary>Books the meeting <paramref name="body"/> describes.</summary>
    public async Task<ServiceResult<MeetingDto>> BookAsync(MeetingCaller caller, MeetingBookingRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (MeetingRequestReader.Read(body, null, out var problem) is not { } request)
        {
            return ServiceResult<MeetingDto>.Fail(ServiceError.Invalid, problem!);
        }

        if (await MayBookAsync(caller, request.Sig, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (platforms.Find(request.Platform, out problem) is not { } account)
        {
            return ServiceResult<MeetingDto>.Fail(ServiceError.Invalid, problem!);
        }

        var now = time.GetUtcNow();
        if (MeetingTimes.Occurrences(request, now, out problem) is not { } occurrences)
        {
            return ServiceResult<MeetingDto>.Fail(ServiceError.Invalid, problem!);
        }

        await using (await gate.EnterAsync(db, cancellationToken))
        {
            if (await ConflictAsync(request.Sig, account, occurrences, null, cancellationToken) is { } conflict)
            {
                return ServiceResult<MeetingDto>.Fail(ServiceError.Conflict, conflict);
            }

            PlatformMeeting created;
            try
            {
                created = await account.Client.CreateAsync(MeetingRows.Platform(request, occurrences[0].Start), cancellationToken);
            }
            catch (MeetingPlatformException e)
            {
                return PlatformFailure(account, e);
            }

            var row = new MeetingRecord
            {
                Sig = request.Sig, Title = request.Title, Agenda = request.Agenda, LocalStart = request.LocalStart, TimeZone = request.TimeZone,
                DurationMinutes = (int)request.Duration.TotalMinutes, Recurrence = MeetingRows.Name(request.Recurrence), Occurrences = occurrences.Count,
                Platform = account.Name, PlatformId = created.Id, JoinUrl = created.JoinUrl, Passcode = created.Passcode, State = MeetingRows.Scheduled,
                CreatedBy = caller.Principal, CreatedAt = now.UtcDateTime, UpdatedAt = now.UtcDateTime,
            };
            Schedule(row, occurrences);
            try
            {
                await SaveAsync(row, "invitation", EventTypes.MeetingScheduled, cancellationToken);
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
            {
                LogStoreFailed(logger, e, account.DisplayName, created.Id);
                var undone = await TryAsync(() => account.Client.DeleteAsync(created.Id, CancellationToken.None), account, created.Id);
                return ServiceResult<MeetingDto>.Fail(ServiceError.Unavailable, undone
                    ? $"the meeting could not be stored ({e.GetBaseException().Message}); it was deleted from {account.DisplayName} again, nothing was booked"
                    : $"the meeting could not be stored ({e.GetBaseException().Message}), and deleting it from {account.DisplayName} failed too: delete meeting {created.Id} there by hand");
            }

            signal.Wake();
            return MeetingRows.Dto(row, [], now);
        }
    }

    /// <summary>Changes meeting <paramref name="id"/> to what <paramref name="body"/> says; the platform and the list hear of it.</summary>
    public async Task<ServiceResult<MeetingDto>> ChangeAsync(MeetingCaller caller, long id, MeetingBookingRequest body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using (await gate.EnterAsync(db, cancellationToken))
        {
            var (row, account, failure) = await EditableAsync(caller, id, cancellationToken);
            if (row is null || account is null)
            {
                return failure;
            }

            if (MeetingRequestReader.Read(body, row, out var problem) is not { } request)
            {
                return ServiceResult<MeetingDto>.Fail(ServiceError.Invalid, problem!);
            }

            var now = time.GetUtcNow();
            if (MeetingTimes.Occurrences(request, now, out problem) is not { } occurrences)
            {
                return ServiceResult<MeetingDto>.Fail(ServiceError.Invalid, problem!);
            }

            if (await ConflictAsync(request.Sig, account, occurrences, row.Id, cancellationToken) is { } conflict)
            {
                return ServiceResult<MeetingDto>.Fail(ServiceError.Conflict, conflict);
            }

            var before = MeetingRows.Request(row);
            var beforeStart = MeetingRows.Occurrences(row)[0].Start;
            try
            {
                await account.Client.UpdateAsync(row.PlatformId, MeetingRows.Platform(request, occurrences[0].Start), cancellationToken);
            }
            catch (MeetingPlatformException e)
            {
                return PlatformFailure(account, e);
            }

            row.Title = request.Title;
            row.Agenda = request.Agenda;
            row.LocalStart = request.LocalStart;
            row.TimeZone = request.TimeZone;
            row.DurationMinutes = (int)request.Duration.TotalMinutes;
            row.Recurrence = MeetingRows.Name(request.Recurrence);
            row.Occurrences = occurrences.Count;
            row.Sequence++;
            row.UpdatedAt = now.UtcDateTime;
            Schedule(row, occurrences);
            try
            {
                await SaveAsync(row, "update", EventTypes.MeetingChanged, cancellationToken);
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
            {
                LogStoreFailed(logger, e, account.DisplayName, row.PlatformId);
                var undone = await TryAsync(() => account.Client.UpdateAsync(row.PlatformId, MeetingRows.Platform(before, beforeStart), CancellationToken.None), account, row.PlatformId);
                return ServiceResult<MeetingDto>.Fail(ServiceError.Unavailable, undone
                    ? $"the change could not be stored ({e.GetBaseException().Message}); {account.DisplayName} has the meeting as before, nothing changed"
                    : $"the change could not be stored ({e.GetBaseException().Message}), and {account.DisplayName} could not be set back: it has the new time");
            }

            signal.Wake();
            return MeetingRows.Dto(row, await db.MeetingRecordings.Where(r => r.MeetingId == id).ToListAsync(cancellationToken), now);
        }
    }

    /// <summary>Cancels meeting <paramref name="id"/>: deleted on the platform, kept here as cancelled, the list told.</summary>
    public async Task<ServiceResult<MeetingDto>> CancelAsync(MeetingCaller caller, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        await using (await gate.EnterAsync(db, cancellationToken))
        {
            var (row, account, failure) = await EditableAsync(caller, id, cancellationToken);
            if (row is null || account is null)
            {
                return failure;
            }

            try
            {
                await account.Client.DeleteAsync(row.PlatformId, cancellationToken);
            }
            catch (MeetingPlatformException e)
            {
                return PlatformFailure(account, e);
            }

            var now = time.GetUtcNow();
            row.State = MeetingRows.Cancelled;
            row.Sequence++;
            row.NextReminderAt = null;
            row.UpdatedAt = now.UtcDateTime;
            // The platform no longer has it: storing the cancellation is retried by the caller, and a second delete counts as done.
            await SaveAsync(row, "cancellation", EventTypes.MeetingCancelled, cancellationToken);
            signal.Wake();
            return MeetingRows.Dto(row, await db.MeetingRecordings.Where(r => r.MeetingId == id).ToListAsync(cancellationToken), now);
        }
    }

    private async Task<ServiceResult<MeetingDto>?> MayBookAsync(MeetingCaller caller, string sig, CancellationToken cancellationToken)
    {
        if (caller.Principal.Length == 0)
        {
            return ServiceResult<MeetingDto>.Fail(ServiceError.Unauthorized, "sign in to book a meeting");
        }

        if (await directory.KindOfAsync(sig, cancellationToken) != PrincipalKind.Group)
        {
            return ServiceResult<MeetingDto>.Fail(ServiceError.NotFound, $"there is no SIG '{sig}' (a SIG is a group of the server)");
        }

        return caller.MayBookFor(sig)
            ? (ServiceResult<MeetingDto>?)null
            : ServiceResult<MeetingDto>.Fail(ServiceError.Forbidden, $"only members of {sig} book its meetings, and {caller.Principal} is not one; ask an admin to add you to the group");
    }

    private async Task<(MeetingRecord? Row, MeetingPlatformAccount? Account, ServiceResult<MeetingDto> Failure)> EditableAsync(MeetingCaller caller, long id, CancellationToken cancellationToken)
    {
        var row = await db.Meetings.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (row is null)
        {
            return (null, null, ServiceResult<MeetingDto>.Fail(ServiceError.NotFound, $"there is no meeting {id}"));
        }

        if (await MayBookAsync(caller, row.Sig, cancellationToken) is { } refused)
        {
            return (null, null, refused);
        }

        if (row.State == MeetingRows.Cancelled)
        {
            return (null, null, ServiceResult<MeetingDto>.Fail(ServiceError.Conflict, $"meeting {id} is cancelled; book a new one"));
        }

        if (MeetingRows.Occurrences(row)[^1].End <= time.GetUtcNow())
        {
            return (null, null, ServiceResult<MeetingDto>.Fail(ServiceError.Conflict, $"meeting {id} has taken place; book a new one"));
        }

        return platforms.Find(row.Platform, out var problem) is { } account
            ? (row, account, default)
            : (null, null, ServiceResult<MeetingDto>.Fail(ServiceError.Unavailable, problem!));
    }

    private async Task<string?> ConflictAsync(string sig, MeetingPlatformAccount account, IReadOnlyList<MeetingOccurrence> wanted, long? except, CancellationToken cancellationToken)
    {
        var from = wanted[0].Start.UtcDateTime;
        var to = wanted[^1].End.UtcDateTime;
        var candidates = await db.Meetings
            .Where(m => m.State == MeetingRows.Scheduled && (m.Sig == sig || m.Platform == account.Name) && m.FirstStart < to && m.LastEnd > from && m.Id != (except ?? 0))
            .ToListAsync(cancellationToken);
        return MeetingConflicts.Find(candidates.Select(MeetingRows.Booked), sig, account.Name, wanted, account.ConcurrentMeetings);
    }

    // The range columns and the first reminder still ahead.
    private void Schedule(MeetingRecord row, IReadOnlyList<MeetingOccurrence> occurrences)
    {
        row.FirstStart = occurrences[0].Start.UtcDateTime;
        row.LastEnd = occurrences[^1].End.UtcDateTime;
        MeetingReminders.Advance(row, occurrences, options.Value.ReminderLead, time.GetUtcNow());
    }

    // The meeting, the mail to the list (when mail is configured) and the event commit together.
    private async Task SaveAsync(MeetingRecord row, string mailKind, string eventType, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (row.Id == 0)
        {
            db.Meetings.Add(row);
        }

        await db.SaveChangesAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (mail.Mailer is not null)
        {
            db.MeetingMails.Add(new MeetingMailRecord
            {
                MeetingId = row.Id, Kind = mailKind, Sequence = row.Sequence, To = options.Value.ListOf(row.Sig), State = MeetingMailer.Pending, NextAttemptAt = now,
            });
        }

        EventOutbox.Add(db, eventType, EventOutbox.MeetingsSource, $"meetings/{row.Id}", row.Sig, isPublic: true, MeetingRows.Dto(row, [], time.GetUtcNow()), now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static ServiceResult<MeetingDto> PlatformFailure(MeetingPlatformAccount account, MeetingPlatformException e) =>
        ServiceResult<MeetingDto>.Fail(e.Retryable ? ServiceError.Unavailable : ServiceError.Invalid,
            e.Retryable ? $"{e.Message}; nothing was changed, try again{(e.RetryAfter is { } wait ? $" in {Math.Ceiling(wait.TotalSeconds):0} s" : " later")}" : $"{e.Message}; nothing was changed");

    private async Task<bool> TryAsync(Func<Task> undo, MeetingPlatformAccount account, string platformId)
    {
        try
        {
            await undo();
            return true;
        }
        catch (MeetingPlatformException e)
        {
            LogUndoFailed(logger, account.DisplayName, platformId, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meetings: storing {Platform} meeting {PlatformId} failed; undoing it on the platform")]
    private static partial void LogStoreFailed(ILogger logger, Exception e, string platform, string platformId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Meetings: undoing {Platform} meeting {PlatformId} failed: {Problem}")]
    private static partial void LogUndoFailed(ILogger logger, string platform, string platformId, string problem);
}
