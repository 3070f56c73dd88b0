using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Forgeline.Testing.Meetings;

/// <summary>The checks the "创建会议", "修改会议" and "取消会议" pages document for their bodies.</summary>
public sealed partial class FakeTencentMeeting
{
    private enum Operation
    {
        Create,
        Update,
        Cancel,
    }

    /// <summary>The refusal of a body, in Tencent's words, or null; an update may leave out what it does not change.</summary>
    private (int, JsonNode?)? Check(string body, Operation operation)
    {
        JsonObject meeting;
        try
        {
            meeting = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return Refuse("the body is not a JSON object");
        }

        if (Text(meeting, "userid") is not { } user)
        {
            return Refuse("userid is required and is a string");
        }

        if (user != UserId)
        {
            return (400, Error(UserNotExist, $"user not exist: {user}"));
        }

        if (Number(meeting, "instanceid") is not (>= 1 and <= 8))
        {
            return Refuse("instanceid is required: 1 (PC) to 8 (mini program)");
        }

        if (operation == Operation.Cancel)
        {
            return Number(meeting, "reason_code") is null ? Refuse("reason_code is required and is an integer") : null;
        }

        var creating = operation == Operation.Create;
        if ((creating || meeting.ContainsKey("subject")) && Text(meeting, "subject") is not { Length: > 0 })
        {
            return Refuse("subject is required and is a non-empty string");
        }

        if ((creating || meeting.ContainsKey("type")) && Number(meeting, "type") is not (0 or 1))
        {
            return Refuse("type is 0 (scheduled) or 1 (quick)");
        }

        foreach (var name in new[] { "start_time", "end_time" })
        {
            if ((creating || meeting.ContainsKey(name)) && (Text(meeting, name) is not { } seconds || !UnixSeconds().IsMatch(seconds)))
            {
                return Refuse($"{name} is required for a scheduled meeting: Unix seconds in a string");
            }
        }

        if (Text(meeting, "start_time") is { } start && Text(meeting, "end_time") is { } end && long.Parse(end, System.Globalization.CultureInfo.InvariantCulture) <= long.Parse(start, System.Globalization.CultureInfo.InvariantCulture))
        {
            return Refuse("end_time must be after start_time");
        }

        if (meeting["settings"] is { } settings && (settings is not JsonObject values || values.Any(v => v.Value?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))))
        {
            return Refuse("settings is an object of booleans");
        }

        var meetingType = meeting.ContainsKey("meeting_type") ? Number(meeting, "meeting_type") : 0;
        if (meetingType is not (0 or 1))
        {
            return Refuse("meeting_type is 0 (one-off) or 1 (recurring)");
        }

        return meetingType == 1 ? Rule(meeting["recurring_rule"] as JsonObject) : null;
    }

    private static (int, JsonNode?)? Rule(JsonObject? rule)
    {
        if (rule is null)
        {
            return Refuse("recurring_rule is required when meeting_type is 1");
        }

        if (Number(rule, "recurring_type") is not (>= 0 and <= 5))
        {
            return Refuse("recurring_rule.recurring_type is 0 (daily), 1 (weekdays), 2 (weekly), 3 (biweekly), 4 (monthly) or 5 (custom)");
        }

        return Number(rule, "until_type") switch
        {
            1 when Number(rule, "until_count") is not (>= 1 and <= 500) => Refuse("recurring_rule.until_count is required when until_type is 1"),
            0 when Text(rule, "until_date") is not { } date || !UnixSeconds().IsMatch(date) => Refuse("recurring_rule.until_date is required when until_type is 0"),
            0 or 1 => null,
            _ => Refuse("recurring_rule.until_type is 0 (until a date) or 1 (a number of times)"),
        };
    }

    private static (int, JsonNode?) Refuse(string message) => (400, Error(ParameterError, message));

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static int? Number(JsonObject node, string name) =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : null;

    [GeneratedRegex(@"^\d{9,11}$")]
    private static partial Regex UnixSeconds();
}
