namespace Forgeline.Data.Entities;

/// <summary>A row of <c>meetings</c>: a SIG's meeting as booked, owned by <c>Forgeline.Meetings.Server</c>.</summary>
public sealed class MeetingRecord
{
    /// <summary>Row id (the meeting's id).</summary>
    public long Id { get; set; }

    /// <summary>The SIG (group).</summary>
    public required string Sig { get; set; }

    /// <summary>The title.</summary>
    public required string Title { get; set; }

    /// <summary>The agenda link.</summary>
    public string? Agenda { get; set; }

    /// <summary>The first start as local wall-clock time in <see cref="TimeZone"/>.</summary>
    public DateTime LocalStart { get; set; }

    /// <summary>The IANA time zone.</summary>
    public required string TimeZone { get; set; }

    /// <summary>Minutes per occurrence.</summary>
    public int DurationMinutes { get; set; }

    /// <summary><c>none</c>, <c>weekly</c>, <c>biweekly</c> or <c>monthly</c>.</summary>
    public required string Recurrence { get; set; }

    /// <summary>How many times it takes place.</summary>
    public int Occurrences { get; set; }

    /// <summary>The first occurrence's start (UTC), for range queries.</summary>
    public DateTime FirstStart { get; set; }

    /// <summary>The last occurrence's end (UTC), for range queries.</summary>
    public DateTime LastEnd { get; set; }

    /// <summary>The platform (<c>zoom</c> …).</summary>
    public required string Platform { get; set; }

    /// <summary>The platform's id of the meeting.</summary>
    public required string PlatformId { get; set; }

    /// <summary>The join link.</summary>
    public required string JoinUrl { get; set; }

    /// <summary>The passcode.</summary>
    public required string Passcode { get; set; }

    /// <summary><c>scheduled</c> or <c>cancelled</c>.</summary>
    public required string State { get; set; }

    /// <summary>The iCalendar SEQUENCE: 0, one more at each change or the cancellation.</summary>
    public int Sequence { get; set; }

    /// <summary>When the next reminder is due (UTC); null when none is left.</summary>
    public DateTime? NextReminderAt { get; set; }

    /// <summary>The occurrence (0-based) that reminder is for.</summary>
    public int NextReminderOccurrence { get; set; }

    /// <summary>Who booked it.</summary>
    public required string CreatedBy { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When it last changed (UTC); feeds are cached until it does.</summary>
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A row of <c>meeting_mails</c>: a message to a SIG's list (invitation, update, cancellation, reminder), stored with
/// the change that causes it and sent by the meetings coordinator, so none is lost across a crash.
/// </summary>
public sealed class MeetingMailRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The meeting.</summary>
    public long MeetingId { get; set; }

    /// <summary><c>invitation</c>, <c>update</c>, <c>cancellation</c> or <c>reminder</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>The meeting's SEQUENCE it tells of.</summary>
    public int Sequence { get; set; }

    /// <summary>For a reminder, the occurrence (0-based) it is for; 0 otherwise.</summary>
    public int Occurrence { get; set; }

    /// <summary>The recipient list.</summary>
    public required string To { get; set; }

    /// <summary><c>pending</c>, <c>sent</c> or <c>failed</c> (given up, with <see cref="Error"/>).</summary>
    public required string State { get; set; }

    /// <summary>Attempts so far.</summary>
    public int Attempts { get; set; }

    /// <summary>When to try (again) (UTC).</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>The last failure.</summary>
    public string? Error { get; set; }

    /// <summary>When it was accepted by the mail server (UTC).</summary>
    public DateTime? SentAt { get; set; }
}

/// <summary>A row of <c>meeting_recordings</c>: a recording file a platform reported, downloaded, stored and published.</summary>
public sealed class MeetingRecordingRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The meeting.</summary>
    public long MeetingId { get; set; }

    /// <summary>The platform's id of the file (unique per meeting).</summary>
    public required string FileId { get; set; }

    /// <summary>Where to download it.</summary>
    public required string DownloadUrl { get; set; }

    /// <summary>The short-lived token the download needs (never shown).</summary>
    public string? DownloadToken { get; set; }

    /// <summary>The size the platform announced.</summary>
    public long ExpectedSize { get; set; }

    /// <summary>When the recording started (UTC).</summary>
    public DateTime? RecordedAt { get; set; }

    /// <summary><c>pending</c>, <c>stored</c>, <c>published</c> or <c>failed</c>.</summary>
    public required string State { get; set; }

    /// <summary>Download or publication attempts.</summary>
    public int Attempts { get; set; }

    /// <summary>When to try (again) (UTC).</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>The last failure.</summary>
    public string? Error { get; set; }

    /// <summary>The stored file's digest (an artifact).</summary>
    public string? Sha256 { get; set; }

    /// <summary>Its size.</summary>
    public long? Size { get; set; }

    /// <summary>Where it was published, as JSON (platform → URL).</summary>
    public string? Videos { get; set; }

    /// <summary>When it was reported (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}

/// <summary>A row of <c>meeting_participants</c>: someone the platform reported joining a meeting (counted once).</summary>
public sealed class MeetingParticipantRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The meeting.</summary>
    public long MeetingId { get; set; }

    /// <summary>The platform's key of the participant in that meeting.</summary>
    public required string Participant { get; set; }

    /// <summary>When they joined (UTC).</summary>
    public DateTime JoinedAt { get; set; }
}

/// <summary>A row of <c>meeting_webhook_deliveries</c>: a platform notification already handled (retries are ignored).</summary>
public sealed class MeetingWebhookDeliveryRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The platform's delivery key (event, object, time).</summary>
    public required string DeliveryKey { get; set; }

    /// <summary>When it arrived (UTC).</summary>
    public DateTime ReceivedAt { get; set; }
}
