using System.Globalization;
using System.Text.Json.Serialization;

namespace Forgeline.Meetings.Platforms.Zoom;

/// <summary>
/// A meeting as Zoom's <c>POST /users/me/meetings</c> and <c>PATCH /meetings/{id}</c> take it (snake_case on the wire):
/// type 2 (scheduled) once, type 8 (recurring, fixed time) with a weekly or monthly recurrence and its number of
/// occurrences; the start is the local time in the meeting's time zone, so Zoom keeps the local time across DST.
/// </summary>
internal sealed record ZoomMeetingBody(
    string Topic,
    int Type,
    string StartTime,
    string Timezone,
    int Duration,
    string? Agenda,
    ZoomRecurrence? Recurrence)
{
    public const int Scheduled = 2;
    public const int RecurringFixedTime = 8;

    public static ZoomMeetingBody From(PlatformMeetingRequest request)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(request.TimeZone);
        var local = TimeZoneInfo.ConvertTime(request.Start, zone);
        var start = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var recurrence = request.Recurrence switch
        {
            MeetingRecurrence.None => null,
            MeetingRecurrence.Weekly or MeetingRecurrence.Biweekly => new ZoomRecurrence(
                ZoomRecurrence.Weekly,
                request.Recurrence == MeetingRecurrence.Biweekly ? 2 : 1,
                ((int)local.DayOfWeek + 1).ToString(CultureInfo.InvariantCulture),
                null,
                Count(request)),
            MeetingRecurrence.Monthly => new ZoomRecurrence(ZoomRecurrence.Monthly, 1, null, local.Day, Count(request)),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Recurrence, "unknown recurrence"),
        };
        return new ZoomMeetingBody(
            request.Topic,
            recurrence is null ? Scheduled : RecurringFixedTime,
            start,
            request.TimeZone,
            request.DurationMinutes,
            request.Agenda,
            recurrence);
    }

    private static int Count(PlatformMeetingRequest request) =>
        request.Occurrences is >= 2 and <= MeetingTimes.MaxOccurrences
            ? request.Occurrences.Value
            : throw new ArgumentException($"a repeating meeting takes place 2 to {MeetingTimes.MaxOccurrences} times, not {request.Occurrences?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of"} times", nameof(request));
}

/// <summary>Zoom's recurrence object: type 2 weekly on <c>weekly_days</c> (1 = Sunday), type 3 monthly on <c>monthly_day</c>.</summary>
internal sealed record ZoomRecurrence(
    int Type,
    int RepeatInterval,
    string? WeeklyDays,
    int? MonthlyDay,
    int EndTimes)
{
    public const int Weekly = 2;
    public const int Monthly = 3;
}

/// <summary>What Zoom answers to a create: the meeting's id and links.</summary>
internal sealed record ZoomCreatedMeeting(
    long Id,
    string JoinUrl,
    string? Password,
    string? StartUrl);

/// <summary>An error body from Zoom's API.</summary>
internal sealed record ZoomError(int? Code, string? Message);

/// <summary>What Zoom's OAuth endpoint answers.</summary>
internal sealed record ZoomToken(string AccessToken, int ExpiresIn);

/// <summary>The JSON shapes the client reads and writes, for the source generator.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ZoomMeetingBody))]
[JsonSerializable(typeof(ZoomCreatedMeeting))]
[JsonSerializable(typeof(ZoomError))]
[JsonSerializable(typeof(ZoomToken))]
internal sealed partial class ZoomJson : JsonSerializerContext;
