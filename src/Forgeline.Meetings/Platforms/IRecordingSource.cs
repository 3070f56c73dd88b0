namespace Forgeline.Meetings.Platforms;

/// <summary>
/// A platform whose recording reports carry only file ids (Tencent Meeting): the download address is asked for just
/// before each download, as it expires within minutes.
/// </summary>
public interface IRecordingSource
{
    /// <summary>Where the recording file <paramref name="fileId"/> can be downloaded now; a failure is a <see cref="MeetingPlatformException"/>.</summary>
    Task<RecordingLocation> LocateAsync(string fileId, CancellationToken ct);
}
