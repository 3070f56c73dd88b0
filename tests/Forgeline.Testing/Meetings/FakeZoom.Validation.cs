using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Forgeline.Testing.Meetings;

/// <summary>The checks Zoom documents for a meeting body (create and update).</summary>
public sealed partial class FakeZoom
{
    private static readonly int[] MeetingTypes = [1, 2, 3, 8];

    /// <summary>What is wrong with a meeting body, in Zoom's words, or null; an update may leave fields out.</summary>
    private static string? Parse(string body, bool creating)
    {
        JsonObject meeting;
        try
        {
            meeting = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return "Request Body should be a valid JSON object.";
        }

        foreach (var (name, value) in meeting)
        {
            if (!SnakeCase(name) || (value is JsonObject inner && inner.Any(p => !SnakeCase(p.Key))))
            {
                return $"Invalid field: '{name}'.";
            }
        }

        if (Text(meeting, "topic") is { } topic && topic.Length > 200)
        {
            return "Invalid field: 'topic'. The topic can be at most 200 characters.";
        }

        if (creating && Text(meeting, "topic") is null)
        {
            return "Invalid field: 'topic'.";
        }

        var type = Number(meeting, "type");
        if ((creating && type is null) || (type is { } t && !MeetingTypes.Contains(t)))
        {
            return "Invalid field: 'type'.";
        }

        if (Text(meeting, "start_time") is { } start && !StartTime().IsMatch(start))
        {
            return $"Invalid field: 'start_time'. '{start}' is not yyyy-MM-ddTHH:mm:ss or yyyy-MM-ddTHH:mm:ssZ.";
        }

        if (Text(meeting, "start_time") is { } local && !local.EndsWith('Z'))
        {
            var zone = Text(meeting, "timezone");
            if (zone is null || !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                return "Invalid field: 'timezone'. A local start_time needs a timezone.";
            }
        }

        if (meeting.ContainsKey("duration") && Number(meeting, "duration") is not (> 0 and <= 1440))
        {
            return "Invalid field: 'duration'.";
        }

        if (type is 8 && meeting["recurrence"] is not JsonObject)
        {
            return "Invalid field: 'recurrence'. A recurring meeting with a fixed time needs its recurrence.";
        }

        return meeting["recurrence"] is JsonObject recurrence ? Recurrence(recurrence) : null;
    }

    private static string? Recurrence(JsonObject recurrence)
    {
        var type = Number(recurrence, "type");
        var interval = Number(recurrence, "repeat_interval");
        switch (type)
        {
            case 1 when interval is not (>= 1 and <= 90):
            case 2 when interval is not (>= 1 and <= 12):
            case 3 when interval is not (>= 1 and <= 3):
                return "Invalid field: 'repeat_interval'.";
            case 2 when Text(recurrence, "weekly_days") is not { } days || !WeeklyDays().IsMatch(days):
                return "Invalid field: 'weekly_days'. Use 1 (Sunday) to 7 (Saturday), separated by commas.";
            case 3 when Number(recurrence, "monthly_day") is not (>= 1 and <= 31) && !recurrence.ContainsKey("monthly_week"):
                return "Invalid field: 'monthly_day'.";
            case 1 or 2 or 3:
                break;
            default:
                return "Invalid field: 'recurrence.type'.";
        }

        if (recurrence.ContainsKey("end_date_time") == recurrence.ContainsKey("end_times"))
        {
            return "Invalid field: 'end_times'. Give either end_times or end_date_time.";
        }

        return recurrence.ContainsKey("end_times") && Number(recurrence, "end_times") is not (>= 1 and <= 60)
            ? "Invalid field: 'end_times'. A recurring meeting takes place at most 60 times."
            : null;
    }

    private static bool SnakeCase(string name) => !name.Any(char.IsUpper);

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int? Number(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?$")]
    private static partial Regex StartTime();

    [GeneratedRegex(@"^[1-7](,[1-7])*$")]
    private static partial Regex WeeklyDays();
}
