namespace Forgeline.Meetings.Platforms;

/// <summary>
/// A meeting platform (Zoom, Tencent Meeting, WeLink) as Forgeline uses it: create, change and delete a meeting. Each
/// backend is a client against the platform's published API; a failure is a <see cref="MeetingPlatformException"/>
/// that says whether trying again later may help.
/// </summary>
public interface IMeetingPlatform
{
    /// <summary>Creates the meeting and returns what people need to join it.</summary>
    Task<PlatformMeeting> CreateAsync(PlatformMeetingRequest request, CancellationToken ct);

    /// <summary>Changes the meeting <paramref name="id"/> to what <paramref name="request"/> says.</summary>
    Task UpdateAsync(string id, PlatformMeetingRequest request, CancellationToken ct);

    /// <summary>Deletes the meeting <paramref name="id"/>; one the platform no longer knows counts as deleted.</summary>
    Task DeleteAsync(string id, CancellationToken ct);
}
