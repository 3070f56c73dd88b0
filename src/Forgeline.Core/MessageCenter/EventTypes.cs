namespace Forgeline.Core.MessageCenter;

/// <summary>The CloudEvent <c>type</c> of every event Forgeline publishes; docs/events.md shows each with an example.</summary>
public static class EventTypes
{
    /// <summary>A build was submitted (or queued again after its worker was lost).</summary>
    public const string BuildQueued = "org.forgeline.build.queued";

    /// <summary>A worker leased a build.</summary>
    public const string BuildStarted = "org.forgeline.build.started";

    /// <summary>A build reached its final state.</summary>
    public const string BuildFinished = "org.forgeline.build.finished";

    /// <summary>A project was created.</summary>
    public const string ProjectCreated = "org.forgeline.project.created";

    /// <summary>A project's settings changed.</summary>
    public const string ProjectChanged = "org.forgeline.project.changed";

    /// <summary>A project was deleted.</summary>
    public const string ProjectDeleted = "org.forgeline.project.deleted";

    /// <summary>A new generation of a project's repository was published.</summary>
    public const string RepositoryPublished = "org.forgeline.repository.published";

    /// <summary>The signer made signatures (never carries key material).</summary>
    public const string SignatureCreated = "org.forgeline.signature.created";

    /// <summary>The review bot handled a pull-request or issue comment with slash commands.</summary>
    public const string BotCommand = "org.forgeline.bot.command";

    /// <summary>A playground session's shell started on a host.</summary>
    public const string PlaygroundSessionStarted = "org.forgeline.playground.session.started";

    /// <summary>A playground session ended: its processes and files are gone (or it never started).</summary>
    public const string PlaygroundSessionEnded = "org.forgeline.playground.session.ended";

    /// <summary>A SIG's meeting was booked (data: the meeting, with its join link).</summary>
    public const string MeetingScheduled = "org.forgeline.meeting.scheduled";

    /// <summary>A meeting's time, title, agenda or repetition changed.</summary>
    public const string MeetingChanged = "org.forgeline.meeting.changed";

    /// <summary>A meeting was cancelled.</summary>
    public const string MeetingCancelled = "org.forgeline.meeting.cancelled";

    /// <summary>A meeting's recording was stored and published to the video platforms.</summary>
    public const string MeetingRecordingPublished = "org.forgeline.meeting.recording.published";

    /// <summary>Every type, for documentation and validation.</summary>
    public static IReadOnlyList<string> All { get; } =
        [BuildQueued, BuildStarted, BuildFinished, ProjectCreated, ProjectChanged, ProjectDeleted, RepositoryPublished, SignatureCreated, BotCommand,
         PlaygroundSessionStarted, PlaygroundSessionEnded, MeetingScheduled, MeetingChanged, MeetingCancelled, MeetingRecordingPublished];
}
