namespace Forgeline.Meetings.Platforms.Zoom;

/// <summary>A meeting's cloud recording, as <c>recording.completed</c> reports it.</summary>
/// <param name="MeetingId">The meeting's id.</param>
/// <param name="MeetingUuid">The uuid of the meeting's instance that was recorded.</param>
/// <param name="Topic">The meeting's topic.</param>
/// <param name="Files">The recording's files.</param>
/// <param name="DownloadToken">The token the files are downloaded with (valid 24 hours), or null.</param>
public sealed record ZoomRecording(string MeetingId, string MeetingUuid, string Topic, IReadOnlyList<ZoomRecordingFile> Files, string? DownloadToken);
