namespace Forgeline.Meetings.Platforms.Zoom;

/// <summary>Someone who joined a Zoom meeting.</summary>
/// <param name="MeetingId">The meeting's Zoom id.</param>
/// <param name="Key">The participant (uuid, user id, id or name).</param>
/// <param name="JoinTime">When they joined.</param>
public sealed record ZoomParticipant(string MeetingId, string Key, DateTimeOffset? JoinTime);
