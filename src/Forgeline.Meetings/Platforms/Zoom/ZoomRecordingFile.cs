namespace Forgeline.Meetings.Platforms.Zoom;

/// <summary>One file of a Zoom cloud recording. Zoom sends no checksum; the size is what a download is checked against.</summary>
/// <param name="Id">The file's id (missing for some file types, such as closed captions).</param>
/// <param name="FileType">Its type: <c>MP4</c>, <c>M4A</c>, <c>TRANSCRIPT</c>, <c>CHAT</c> ….</param>
/// <param name="FileSize">Its size in bytes, when Zoom gives it.</param>
/// <param name="DownloadUrl">Where to download it.</param>
/// <param name="RecordingStart">When the recorded part started.</param>
/// <param name="RecordingEnd">When it ended.</param>
public sealed record ZoomRecordingFile(string? Id, string FileType, long? FileSize, string DownloadUrl, DateTimeOffset? RecordingStart, DateTimeOffset? RecordingEnd);
