namespace Forgeline.Meetings.Platforms;

/// <summary>A meeting as the platform created it.</summary>
/// <param name="Id">The platform's id of the meeting.</param>
/// <param name="JoinUrl">The link participants join with.</param>
/// <param name="Passcode">The passcode participants need, or empty when there is none.</param>
/// <param name="HostUrl">The link the host starts the meeting with, when the platform gives one.</param>
public sealed record PlatformMeeting(string Id, string JoinUrl, string Passcode, string? HostUrl);
