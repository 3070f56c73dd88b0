using System.Globalization;
using Forgeline.Core;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Meetings.Platforms;
using Forgeline.Meetings.Platforms.Zoom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Forgeline.Meetings.Server;

/// <summary>What a webhook delivery is answered with: a JSON body (Zoom's URL validation) or none.</summary>
/// <param name="Answer">The body, or null.</param>
public sealed record WebhookAnswer(object? Answer);

/// <summary>
/// Zoom's event notifications: checked (signature in constant time, at most five minutes old), each handled once
/// (its delivery key is stored with what it caused; a retry finds it), and turned into work: a recording to fetch, a
/// participant to count.
/// </summary>
public sealed partial class MeetingWebhooks(ForgelineDbContext db, IConfiguration configuration, MeetingsSignal signal, TimeProvider time, ILogger<MeetingWebhooks> logger)
{
    /// <summary>The largest delivery read.</summary>
    public const int MaxBody = 1 << 20;

    /// <summary>Handles a Zoom delivery of <paramref name="body"/> with its signature headers.</summary>
    public async Task<ServiceResult<WebhookAnswer>> ZoomAsync(byte[] body, string? timestamp, string? signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ZoomOptions options;
        try
        {
            options = ZoomBackend.Options(key => configuration[$"{MeetingPlatforms.SectionOf(new ZoomBackend())}:{key}"]);
        }
        catch (MeetingPlatformException e)
        {
            return ServiceResult<WebhookAnswer>.Fail(ServiceError.Unavailable, $"Zoom is not configured on this server: {e.Message}");
        }

        var webhook = new ZoomWebhook(options.WebhookSecretToken, time);
        if (!webhook.Verify(body, timestamp, signature, out var problem))
        {
            LogRefused(logger, problem!);
            return ServiceResult<WebhookAnswer>.Fail(ServiceError.Unauthorized, problem!);
        }

        if (ZoomWebhook.Parse(body) is not { } delivery)
        {
            return ServiceResult<WebhookAnswer>.Fail(ServiceError.Invalid, "the delivery is not a Zoom event (JSON with an event name)");
        }

        if (ZoomWebhook.PlainToken(delivery) is { } plainToken)
        {
            return new WebhookAnswer(webhook.AnswerUrlValidation(plainToken));
        }

        if (await db.MeetingWebhookDeliveries.AnyAsync(d => d.DeliveryKey == delivery.DeliveryKey, cancellationToken))
        {
            return new WebhookAnswer(null);
        }

        db.MeetingWebhookDeliveries.Add(new MeetingWebhookDeliveryRecord { DeliveryKey = delivery.DeliveryKey, ReceivedAt = time.GetUtcNow().UtcDateTime });
        if (ZoomWebhook.Recording(delivery) is { } recording)
        {
            await RecordingAsync(recording, cancellationToken);
        }
        else if (ZoomWebhook.Participant(delivery) is { } participant)
        {
            await ParticipantAsync(participant, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same delivery handled at the same moment by another request: nothing more to do.
            if (await SeenAsync(delivery.DeliveryKey))
            {
                return new WebhookAnswer(null);
            }

            throw;
        }

        signal.Wake();
        return new WebhookAnswer(null);
    }

    private async Task RecordingAsync(ZoomRecording recording, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.FirstOrDefaultAsync(m => m.Platform == "zoom" && m.PlatformId == recording.MeetingId, cancellationToken);
        if (meeting is null)
        {
            LogUnknownMeeting(logger, recording.MeetingId);
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var file in recording.Files.Where(f => string.Equals(f.FileType, "MP4", StringComparison.OrdinalIgnoreCase) && f.DownloadUrl.Length > 0))
        {
            var fileId = file.Id ?? $"{recording.MeetingUuid}:{file.RecordingStart?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
            if (await db.MeetingRecordings.AnyAsync(r => r.MeetingId == meeting.Id && r.FileId == fileId, cancellationToken))
            {
                continue;
            }

            db.MeetingRecordings.Add(new MeetingRecordingRecord
            {
                MeetingId = meeting.Id, FileId = fileId, DownloadUrl = file.DownloadUrl, DownloadToken = recording.DownloadToken,
                ExpectedSize = file.FileSize ?? -1, RecordedAt = file.RecordingStart?.UtcDateTime, State = MeetingRecordings.Pending, NextAttemptAt = now, CreatedAt = now,
            });
        }
    }

    private async Task ParticipantAsync(ZoomParticipant participant, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.FirstOrDefaultAsync(m => m.Platform == "zoom" && m.PlatformId == participant.MeetingId, cancellationToken);
        if (meeting is null)
        {
            return;
        }

        var joined = (participant.JoinTime ?? time.GetUtcNow()).UtcDateTime;
        // One count per person per occurrence: the occurrence is the one running (or about to) when they joined.
        var occurrence = MeetingRows.Occurrences(meeting).Select((o, i) => (o, i)).LastOrDefault(x => x.o.Start.UtcDateTime.AddHours(-1) <= joined).i;
        var key = string.Create(CultureInfo.InvariantCulture, $"{occurrence}:{participant.Key}");
        if (!await db.MeetingParticipants.AnyAsync(p => p.MeetingId == meeting.Id && p.Participant == key, cancellationToken))
        {
            db.MeetingParticipants.Add(new MeetingParticipantRecord { MeetingId = meeting.Id, Participant = key, JoinedAt = joined });
        }
    }

    private async Task<bool> SeenAsync(string key)
    {
        db.ChangeTracker.Clear();
        return await db.MeetingWebhookDeliveries.AnyAsync(d => d.DeliveryKey == key);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meetings: a Zoom delivery was refused: {Problem}")]
    private static partial void LogRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meetings: Zoom reported a recording of meeting {MeetingId}, which was not booked here; ignored")]
    private static partial void LogUnknownMeeting(ILogger logger, string meetingId);
}
