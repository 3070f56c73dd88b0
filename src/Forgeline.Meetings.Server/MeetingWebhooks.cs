using System.Globalization;
using Forgeline.Core;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Meetings.Platforms;
using Forgeline.Meetings.Platforms.Tencent;
using Forgeline.Meetings.Platforms.Zoom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Forgeline.Meetings.Server;

/// <summary>What a webhook delivery is answered with: a JSON body (Zoom's URL validation), plain text (Tencent Meeting's) or none.</summary>
/// <param name="Answer">The body, or null.</param>
public sealed record WebhookAnswer(object? Answer);

/// <summary>
/// Zoom's and Tencent Meeting's event notifications: checked (signature in constant time, at most five minutes old),
/// each handled once (its delivery key is stored with what it caused; a retry finds it), and turned into work: a
/// recording to fetch, a participant to count.
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

        return await OnceAsync(delivery.DeliveryKey, async () =>
        {
            if (ZoomWebhook.Recording(delivery) is { } recording)
            {
                await RecordingAsync(recording, cancellationToken);
            }
            else if (ZoomWebhook.Participant(delivery) is { } participant)
            {
                await ParticipantAsync(participant, cancellationToken);
            }
        }, cancellationToken);
    }

    // Handles a delivery once: its key is stored with what it caused, in one SaveChanges; a retry (or the same delivery
    // in a concurrent request, which loses on the unique key) changes nothing.
    private async Task<WebhookAnswer> OnceAsync(string deliveryKey, Func<Task> effects, CancellationToken cancellationToken)
    {
        if (await db.MeetingWebhookDeliveries.AnyAsync(d => d.DeliveryKey == deliveryKey, cancellationToken))
        {
            return new WebhookAnswer(null);
        }

        db.MeetingWebhookDeliveries.Add(new MeetingWebhookDeliveryRecord { DeliveryKey = deliveryKey, ReceivedAt = time.GetUtcNow().UtcDateTime });
        await effects();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (await SeenAsync(deliveryKey))
            {
                return new WebhookAnswer(null);
            }

            throw;
        }

        signal.Wake();
        return new WebhookAnswer(null);
    }

    /// <summary>Answers Tencent Meeting's URL verification GET: its <c>check_str</c>, verified, decoded.</summary>
    public ServiceResult<WebhookAnswer> TencentVerify(string? checkStr, string? timestamp, string? nonce, string? signature)
    {
        if (TencentWebhookFor(out var refusal) is not { } webhook)
        {
            return refusal;
        }

        var data = TencentWebhook.CheckString(checkStr ?? "");
        if (!webhook.Verify(timestamp, nonce, signature, data, out var problem))
        {
            LogTencentRefused(logger, problem!);
            return ServiceResult<WebhookAnswer>.Fail(ServiceError.Unauthorized, problem!);
        }

        return TencentWebhook.AnswerUrlVerification(data) is { } answer
            ? new WebhookAnswer(answer)
            : ServiceResult<WebhookAnswer>.Fail(ServiceError.Invalid, "check_str is not base64 (an EncodingAESKey on the subscription is not supported: leave it empty)");
    }

    /// <summary>Handles a Tencent Meeting event POST of <paramref name="body"/> (<c>{"data": base64}</c>) with its signature headers.</summary>
    public async Task<ServiceResult<WebhookAnswer>> TencentAsync(byte[] body, string? timestamp, string? nonce, string? signature, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (TencentWebhookFor(out var refusal) is not { } webhook)
        {
            return refusal;
        }

        var data = TencentWebhook.Data(body);
        if (!webhook.Verify(timestamp, nonce, signature, data, out var problem))
        {
            LogTencentRefused(logger, problem!);
            return ServiceResult<WebhookAnswer>.Fail(ServiceError.Unauthorized, problem!);
        }

        if (TencentWebhook.Parse(data!) is not { } delivery)
        {
            return ServiceResult<WebhookAnswer>.Fail(ServiceError.Invalid,
                "the delivery's data is not base64 of a Tencent Meeting event (JSON with an event name); an EncodingAESKey on the subscription is not supported: leave it empty");
        }

        return await OnceAsync(delivery.DeliveryKey, async () =>
        {
            foreach (var recording in TencentWebhook.Recordings(delivery))
            {
                await TencentRecordingAsync(recording, cancellationToken);
            }
        }, cancellationToken);
    }

    private TencentWebhook? TencentWebhookFor(out ServiceResult<WebhookAnswer> refusal)
    {
        refusal = default;
        TencentMeetingOptions options;
        try
        {
            options = TencentMeetingBackend.Options(key => configuration[$"{MeetingPlatforms.SectionOf(new TencentMeetingBackend())}:{key}"]);
        }
        catch (MeetingPlatformException e)
        {
            refusal = ServiceResult<WebhookAnswer>.Fail(ServiceError.Unavailable, $"Tencent Meeting is not configured on this server: {e.Message}");
            return null;
        }

        if (options.WebhookToken.Length == 0)
        {
            refusal = ServiceResult<WebhookAnswer>.Fail(ServiceError.Unavailable,
                $"Tencent Meeting's webhook is not configured on this server: set {TencentMeetingOptions.Section}:{nameof(TencentMeetingOptions.WebhookToken)} to the subscription's Token");
            return null;
        }

        return new TencentWebhook(options.WebhookToken, time);
    }

    // No address yet: Tencent's expires within minutes, so MeetingRecordings asks for one before each download.
    private Task TencentRecordingAsync(TencentRecording recording, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return QueueRecordingsAsync("tencent", "Tencent Meeting", recording.MeetingId, recording.FileIds.Select(fileId => new MeetingRecordingRecord
        {
            FileId = fileId, DownloadUrl = "", ExpectedSize = -1, State = MeetingRecordings.Pending, NextAttemptAt = now, CreatedAt = now,
        }), cancellationToken);
    }

    private Task RecordingAsync(ZoomRecording recording, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var files = recording.Files.Where(f => string.Equals(f.FileType, "MP4", StringComparison.OrdinalIgnoreCase) && f.DownloadUrl.Length > 0).Select(file => new MeetingRecordingRecord
        {
            FileId = file.Id ?? $"{recording.MeetingUuid}:{file.RecordingStart?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}",
            DownloadUrl = file.DownloadUrl, DownloadToken = recording.DownloadToken,
            ExpectedSize = file.FileSize ?? -1, RecordedAt = file.RecordingStart?.UtcDateTime, State = MeetingRecordings.Pending, NextAttemptAt = now, CreatedAt = now,
        });
        return QueueRecordingsAsync("zoom", "Zoom", recording.MeetingId, files, cancellationToken);
    }

    /// <summary>Queues each reported file of a meeting booked here for download, once; a meeting not booked here is logged and ignored.</summary>
    private async Task QueueRecordingsAsync(string platform, string platformName, string platformMeetingId, IEnumerable<MeetingRecordingRecord> files, CancellationToken cancellationToken)
    {
        var meeting = await db.Meetings.FirstOrDefaultAsync(m => m.Platform == platform && m.PlatformId == platformMeetingId, cancellationToken);
        if (meeting is null)
        {
            LogUnknownMeeting(logger, platformName, platformMeetingId);
            return;
        }

        foreach (var file in files)
        {
            if (!await db.MeetingRecordings.AnyAsync(r => r.MeetingId == meeting.Id && r.FileId == file.FileId, cancellationToken))
            {
                file.MeetingId = meeting.Id;
                db.MeetingRecordings.Add(file);
            }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meetings: a Tencent Meeting delivery was refused: {Problem}")]
    private static partial void LogTencentRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meetings: {Platform} reported a recording of meeting {MeetingId}, which was not booked here; ignored")]
    private static partial void LogUnknownMeeting(ILogger logger, string platform, string meetingId);
}
