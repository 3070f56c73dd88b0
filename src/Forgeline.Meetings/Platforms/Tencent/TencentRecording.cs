namespace Forgeline.Meetings.Platforms.Tencent;

/// <summary>The cloud recording of one meeting a <c>recording.completed</c> event reports.</summary>
/// <param name="MeetingId">The meeting's <c>meeting_id</c>.</param>
/// <param name="FileIds">Its files' <c>record_file_id</c>s, without repeats.</param>
public sealed record TencentRecording(string MeetingId, IReadOnlyList<string> FileIds);
