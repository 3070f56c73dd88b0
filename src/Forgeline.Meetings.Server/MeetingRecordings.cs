using System.Globalization;
using System.Text.Json;
using Forgeline.Builds.Artifacts;
using Forgeline.Core;
using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Data.Outbox;
using Forgeline.Meetings.Platforms;
using Forgeline.Meetings.Recordings;
using Forgeline.Meetings.Videos;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Meetings.Server;

/// <summary>
/// Takes a reported recording through its states, each step saved before the next: <c>pending</c> (downloaded into a
/// partial file that survives restarts and is resumed, its size checked against the report and its SHA-256 computed,
/// then stored as an artifact), <c>stored</c> (uploaded to each configured video platform in turn, each URL saved as
/// it comes), <c>published</c>. A failure the other side may get over is tried again with a growing wait; a recording
/// that keeps failing, or fails for good, is <c>failed</c> with the reason on the meeting page. A recording reported
/// without an address (Tencent Meeting's carry only file ids) gets a fresh one from its platform before each download.
/// </summary>
public sealed partial class MeetingRecordings(
    ForgelineDbContext db, ArtifactStore store, ForgelinePaths paths, MeetingVideoPlatforms videos, MeetingPlatforms platforms, IOptions<MeetingsOptions> options,
    TimeProvider time, ILogger<MeetingRecordings> logger)
{
    /// <summary>A recording waiting to be downloaded.</summary>
    public const string Pending = "pending";

    /// <summary>A recording stored as an artifact, waiting to be published.</summary>
    public const string Stored = "stored";

    /// <summary>A recording stored and on every configured video platform.</summary>
    public const string Published = "published";

    /// <summary>A recording given up (its error says why).</summary>
    public const string Failed = "failed";

    /// <summary>Processes what is due; true when it did anything.</summary>
    public async Task<bool> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.MeetingRecordings.Where(r => (r.State == Pending || r.State == Stored) && r.NextAttemptAt <= now).OrderBy(r => r.Id).Take(5).ToListAsync(cancellationToken);
        foreach (var recording in due)
        {
            var meeting = await db.Meetings.AsNoTracking().FirstAsync(m => m.Id == recording.MeetingId, cancellationToken);
            try
            {
                if (recording.State == Pending)
                {
                    await DownloadAsync(recording, meeting, cancellationToken);
                }

                await PublishAsync(recording, meeting, cancellationToken);
            }
            catch (Exception e) when (e is RecordingDownloadException or VideoPlatformException or MeetingPlatformException)
            {
                var retryable = e is RecordingDownloadException { Retryable: true } or VideoPlatformException { Retryable: true } or MeetingPlatformException { Retryable: true };
                recording.Attempts++;
                recording.Error = e.Message;
                if (retryable && recording.Attempts < options.Value.MaxAttempts)
                {
                    recording.NextAttemptAt = time.GetUtcNow().UtcDateTime + MeetingMailer.Backoff(recording.Attempts);
                    LogRetry(logger, recording.Id, meeting.Id, e.Message);
                }
                else
                {
                    recording.State = Failed;
                    Delete(PartialPath(recording));
                    LogGaveUp(logger, recording.Id, meeting.Id, recording.Attempts, e.Message);
                }

                await db.SaveChangesAsync(CancellationToken.None);
            }
        }

        return due.Count > 0;
    }

    /// <summary>Where a recording's download is kept until it is complete.</summary>
    public string PartialPath(MeetingRecordingRecord recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        return Path.Combine(paths.Root, "meetings", "recordings", string.Create(CultureInfo.InvariantCulture, $"{recording.Id}.part"));
    }

    private async Task DownloadAsync(MeetingRecordingRecord recording, MeetingRecord meeting, CancellationToken cancellationToken)
    {
        var partial = PartialPath(recording);
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        var account = platforms.Find(meeting.Platform, out var problem);
        var (url, size) = recording.DownloadUrl.Length > 0
            ? (new Uri(recording.DownloadUrl), recording.ExpectedSize >= 0 ? recording.ExpectedSize : (long?)null)
            : await LocateAsync(recording, account, problem, cancellationToken);
        using var downloader = new RecordingDownloader();
        var downloaded = await downloader.DownloadAsync(
            new RecordingDownload(url, partial, recording.DownloadToken, size, MaxBytes: options.Value.MaxRecordingBytes, Source: account?.DisplayName ?? "the platform"),
            null, cancellationToken);
        await using (var file = File.OpenRead(downloaded.Path))
        {
            var staged = await store.StageAsync(file, downloaded.Sha256, options.Value.MaxRecordingBytes, cancellationToken);
            if (!staged.IsSuccess)
            {
                throw new RecordingDownloadException($"the recording could not be stored: {staged.Message}", retryable: staged.Error != ServiceError.TooLarge);
            }

            using var blob = staged.Value!;
            blob.Commit();
        }

        recording.Sha256 = downloaded.Sha256;
        recording.Size = downloaded.Size;
        recording.State = Stored;
        recording.DownloadToken = null;
        recording.Attempts = 0;
        recording.Error = null;
        await db.SaveChangesAsync(CancellationToken.None);
        Delete(partial);
    }

    private static async Task<(Uri Url, long? Size)> LocateAsync(MeetingRecordingRecord recording, MeetingPlatformAccount? account, string? problem, CancellationToken cancellationToken)
    {
        if (account?.Client is not IRecordingSource source)
        {
            // An unconfigured platform may be configured again; one that cannot locate files never will.
            throw new RecordingDownloadException(
                $"recording file {recording.FileId} has no download address and {(account is null ? problem : $"{account.DisplayName} cannot give one")}", retryable: account is null);
        }

        var location = await source.LocateAsync(recording.FileId, cancellationToken);
        return (location.DownloadUrl, location.Size);
    }

    private async Task PublishAsync(MeetingRecordingRecord recording, MeetingRecord meeting, CancellationToken cancellationToken)
    {
        var published = recording.Videos is { Length: > 0 } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [] : [];
        var when = MeetingRows.Utc(recording.RecordedAt ?? meeting.FirstStart).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var platform in videos.All.Where(p => !published.ContainsKey(p.Name)))
        {
            var upload = new VideoUpload(
                store.PathOf(recording.Sha256!), recording.Size ?? 0, recording.Sha256!, $"[{meeting.Sig}] {meeting.Title} ({when})",
                $"Recording of the {meeting.Sig} meeting \"{meeting.Title}\" on {when}.{(meeting.Agenda is { } agenda ? $"\nAgenda: {agenda}" : "")}",
                [meeting.Sig, "meeting"], string.Create(CultureInfo.InvariantCulture, $"meeting-{meeting.Id}-recording-{recording.Id}"));
            var video = await platform.PublishAsync(upload, cancellationToken);
            published[platform.Name] = video.Url.ToString();
            recording.Videos = JsonSerializer.Serialize(published);
            await db.SaveChangesAsync(CancellationToken.None);
        }

        recording.State = Published;
        recording.Attempts = 0;
        recording.Error = null;
        EventOutbox.Add(db, EventTypes.MeetingRecordingPublished, EventOutbox.MeetingsSource, $"meetings/{meeting.Id}/recordings/{recording.Id}", meeting.Sig, isPublic: true,
            MeetingRows.RecordingDto(recording), time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meetings: recording {Recording} of meeting {Meeting} failed, trying again later: {Problem}")]
    private static partial void LogRetry(ILogger logger, long recording, long meeting, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Meetings: gave up recording {Recording} of meeting {Meeting} after {Attempts} attempt(s): {Problem}")]
    private static partial void LogGaveUp(ILogger logger, long recording, long meeting, int attempts, string problem);
}
