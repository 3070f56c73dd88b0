using System.Globalization;
using System.Text.Json.Serialization;

namespace Forgeline.Meetings.Platforms.Tencent;

/// <summary>
/// A meeting as Tencent Meeting's <c>POST /v1/meetings</c> and <c>PUT /v1/meetings/{meeting_id}</c> take it (snake_case):
/// type 0 (scheduled), start and end as Unix seconds in strings, meeting_type 0 once or 1 recurring with a
/// <c>recurring_rule</c> that ends after <c>until_count</c> occurrences (until_type 1). Contract: the "创建会议" and
/// "修改会议" pages of cloud.tencent.com/document/product/1095 and the recurring_type values of Tencent's generated
/// OpenAPI models (0 daily, 1 weekdays, 2 weekly, 3 biweekly, 4 monthly).
/// </summary>
internal sealed record TencentMeetingBody(
    string Userid,
    int Instanceid,
    string Subject,
    int Type,
    string StartTime,
    string EndTime,
    TencentMeetingSettings Settings,
    int MeetingType,
    TencentRecurringRule? RecurringRule)
{
    /// <summary>The device type the API asks for; 1 is PC.</summary>
    public const int InstancePc = 1;

    public static TencentMeetingBody From(PlatformMeetingRequest request, string userId)
    {
        var start = request.Start.ToUniversalTime();
        var rule = request.Recurrence switch
        {
            MeetingRecurrence.None => null,
            MeetingRecurrence.Weekly => new TencentRecurringRule(TencentRecurringRule.Weekly, TencentRecurringRule.UntilCountReached, Count(request)),
            MeetingRecurrence.Biweekly => new TencentRecurringRule(TencentRecurringRule.Biweekly, TencentRecurringRule.UntilCountReached, Count(request)),
            MeetingRecurrence.Monthly => new TencentRecurringRule(TencentRecurringRule.Monthly, TencentRecurringRule.UntilCountReached, Count(request)),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Recurrence, "unknown recurrence"),
        };
        return new TencentMeetingBody(
            userId,
            InstancePc,
            request.Topic,
            0,
            Seconds(start),
            Seconds(start.AddMinutes(request.DurationMinutes)),
            new TencentMeetingSettings(MuteEnableJoin: true, AllowUnmuteSelf: true, AllowInBeforeHost: true),
            rule is null ? 0 : 1,
            rule);
    }

    private static string Seconds(DateTimeOffset instant) => instant.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static int Count(PlatformMeetingRequest request) =>
        request.Occurrences is >= 2 and <= MeetingTimes.MaxOccurrences
            ? request.Occurrences.Value
            : throw new ArgumentException($"a repeating meeting takes place 2 to {MeetingTimes.MaxOccurrences} times, not {request.Occurrences?.ToString(CultureInfo.InvariantCulture) ?? "an unknown number of"} times", nameof(request));
}

/// <summary>The meeting's settings: participants join muted and may unmute, and may join before the host.</summary>
internal sealed record TencentMeetingSettings(bool MuteEnableJoin, bool AllowUnmuteSelf, bool AllowInBeforeHost);

/// <summary>How a recurring meeting repeats and ends.</summary>
internal sealed record TencentRecurringRule(int RecurringType, int UntilType, int UntilCount)
{
    public const int Weekly = 2;
    public const int Biweekly = 3;
    public const int Monthly = 4;
    public const int UntilCountReached = 1;
}

/// <summary>What <c>POST /v1/meetings/{meeting_id}/cancel</c> takes.</summary>
internal sealed record TencentCancelBody(string Userid, int Instanceid, int ReasonCode);

/// <summary>What a create or an update answers.</summary>
internal sealed record TencentMeetingList(List<TencentMeetingInfo>? MeetingInfoList);

/// <summary>One meeting of <see cref="TencentMeetingList"/>.</summary>
internal sealed record TencentMeetingInfo(string MeetingId, string? MeetingCode, string? JoinUrl, string? Password);

/// <summary>What <c>GET /v1/addresses/{record_file_id}</c> answers (the fields read).</summary>
internal sealed record TencentRecordAddress(string? RecordFileId, string? MeetingId, string? DownloadAddress, string? DownloadAddressFileType);

/// <summary>An error body: <c>{"error_info":{"error_code":…,"new_error_code":…,"message":…}}</c>.</summary>
internal sealed record TencentError(TencentErrorInfo? ErrorInfo);

/// <summary>The inside of <see cref="TencentError"/>.</summary>
internal sealed record TencentErrorInfo(long? ErrorCode, long? NewErrorCode, string? Message);

/// <summary>The JSON shapes the client reads and writes, for the source generator.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TencentMeetingBody))]
[JsonSerializable(typeof(TencentCancelBody))]
[JsonSerializable(typeof(TencentMeetingList))]
[JsonSerializable(typeof(TencentError))]
[JsonSerializable(typeof(TencentRecordAddress))]
internal sealed partial class TencentJson : JsonSerializerContext;
