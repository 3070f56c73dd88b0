namespace Forgeline.Meetings.Recordings;

/// <summary>A downloaded, checked recording file.</summary>
/// <param name="Path">The file (the request's partial path, now complete).</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
public sealed record DownloadedRecording(string Path, long Size, string Sha256);
