using System.Globalization;
using System.Text.Json.Serialization;

namespace Forgeline.Meetings.Platforms.WeLink;

/// <summary>
/// A conference as Huawei Cloud Meeting's <c>POST</c> and <c>PUT /v1/mmc/management/conferences</c> take it
/// (camelCase): the start in UTC as <c>yyyy-MM-dd HH:mm</c>, the length in minutes, conferenceType 0 once or 1
/// recurring with <c>cycleParams</c> (start and end date and the weekday or day of month in the zone of
/// <c>timeZoneID</c>). Huawei sends no notifications of its own: Forgeline mails the invitations. Contract: the "创建预约会议"
/// and "编辑预约会议" pages of support.huaweicloud.com/api-meeting.
/// </summary>
internal sealed record WeLinkConferenceBody(
    string Subject,
    string MediaTypes,
    string StartTime,
    int Length,
    int ConferenceType,
    [property: JsonPropertyName("timeZoneID")] string? TimeZoneId,
    WeLinkCycleParams? CycleParams,
    WeLinkConfConfig ConfConfigInfo)
{
    public static WeLinkConferenceBody From(PlatformMeetingRequest request, WeLinkOptions options)
    {
        var start = request.Start.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var cycle = request.Recurrence == MeetingRecurrence.None ? null : Cycle(request, options);
        return new WeLinkConferenceBody(
            request.Topic,
            "HDVideo",
            start,
            request.DurationMinutes,
            cycle is null ? 0 : 1,
            cycle is null ? null : options.TimeZoneId,
            cycle,
            new WeLinkConfConfig(IsSendNotify: false, IsSendCalendar: false));
    }

    private static WeLinkCycleParams Cycle(PlatformMeetingRequest request, WeLinkOptions options)
    {
        var count = request.Occurrences is >= 2 and <= MeetingTimes.MaxOccurrences
            ? request.Occurrences.Value
            : throw new ArgumentException($"a repeating meeting takes place 2 to {MeetingTimes.MaxOccurrences} times, not {request.Occurrences?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of"} times", nameof(request));
        var local = TimeZoneInfo.ConvertTime(request.Start, TimeZoneInfo.FindSystemTimeZoneById(options.CycleTimeZone));
        var first = DateOnly.FromDateTime(local.DateTime);
        var (cycle, interval, point, last) = request.Recurrence switch
        {
            MeetingRecurrence.Weekly => ("Week", 1, (int)local.DayOfWeek, first.AddDays(7 * (count - 1))),
            MeetingRecurrence.Biweekly => ("Week", 2, (int)local.DayOfWeek, first.AddDays(14 * (count - 1))),
            MeetingRecurrence.Monthly => ("Month", 1, local.Day, first.AddMonths(count - 1)),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Recurrence, "unknown recurrence"),
        };
        return new WeLinkCycleParams(Date(first), Date(last), cycle, interval, [point], PreRemindDays: 0);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>How a recurring conference repeats: <c>point</c> is the weekday (0 = Sunday) or the day of the month.</summary>
internal sealed record WeLinkCycleParams(string StartDate, string EndDate, string Cycle, int Interval, int[] Point, int PreRemindDays);

/// <summary>The notifications Huawei would send itself; Forgeline sends its own.</summary>
internal sealed record WeLinkConfConfig(bool IsSendNotify, bool IsSendCalendar);

/// <summary>One conference of what a create or an update answers.</summary>
internal sealed record WeLinkConference(
    [property: JsonPropertyName("conferenceID")] string ConferenceId,
    string? GuestJoinUri,
    string? ChairJoinUri,
    List<WeLinkPassword>? PasswordEntry);

/// <summary>A role's password: <c>chair</c> or <c>general</c>.</summary>
internal sealed record WeLinkPassword(string? ConferenceRole, string? Password);

/// <summary>What <c>POST /v2/usg/acs/auth/appauth</c> takes.</summary>
internal sealed record WeLinkAppAuth(string AppId, int ClientType, string? CorpId, long ExpireTime, string Nonce, string UserId);

/// <summary>What <c>POST /v2/usg/acs/auth/appauth</c> answers: the token and its lifetime in seconds.</summary>
internal sealed record WeLinkToken(string? AccessToken, long ValidPeriod);

/// <summary>An error body: <c>{"error_code":"USG.…","error_msg":"…"}</c>.</summary>
internal sealed record WeLinkError(
    [property: JsonPropertyName("error_code")] string? ErrorCode,
    [property: JsonPropertyName("error_msg")] string? ErrorMsg);

/// <summary>The JSON shapes the client reads and writes, for the source generator.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WeLinkConferenceBody))]
[JsonSerializable(typeof(List<WeLinkConference>))]
[JsonSerializable(typeof(WeLinkAppAuth))]
[JsonSerializable(typeof(WeLinkToken))]
[JsonSerializable(typeof(WeLinkError))]
internal sealed partial class WeLinkJson : JsonSerializerContext;
