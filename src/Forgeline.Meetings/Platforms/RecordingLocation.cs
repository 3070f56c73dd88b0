namespace Forgeline.Meetings.Platforms;

/// <summary>Where a recording file can be downloaded.</summary>
/// <param name="DownloadUrl">The (short-lived) download address.</param>
/// <param name="Size">The file's size in bytes, when the platform says.</param>
public sealed record RecordingLocation(Uri DownloadUrl, long? Size);
