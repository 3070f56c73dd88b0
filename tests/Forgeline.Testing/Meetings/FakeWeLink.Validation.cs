using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Forgeline.Testing.Meetings;

/// <summary>The checks the "创建预约会议" page documents for a conference body (create and update).</summary>
public sealed partial class FakeWeLink
{
    private static readonly string[] MediaTypes = ["Voice", "Video", "HDVideo", "Data"];

    /// <summary>What is wrong with a conference body, in Huawei's manner, or null.</summary>
    private static string? Check(string body)
    {
        JsonObject conference;
        try
        {
            conference = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return "The body is not a JSON object";
        }

        if (Text(conference, "mediaTypes") is not { } media || media.Split(',').Any(m => !MediaTypes.Contains(m)))
        {
            return "mediaTypes is required: Voice, Video, HDVideo or Data, separated by commas";
        }

        if (conference.ContainsKey("subject") && Text(conference, "subject") is not { Length: <= 128 })
        {
            return "subject is a string of at most 128 characters";
        }

        if (conference.ContainsKey("startTime") && !Instant(Text(conference, "startTime"), "yyyy-MM-dd HH:mm"))
        {
            return $"startTime '{conference["startTime"]}' is not yyyy-MM-dd HH:mm (UTC)";
        }

        if (conference.ContainsKey("length") && Number(conference, "length") is not (>= 15 and <= 1440))
        {
            return $"length {conference["length"]} is out of range: a conference lasts 15 to 1440 minutes";
        }

        if (conference.ContainsKey("timeZoneID") && (Text(conference, "timeZoneID") is not { Length: > 0 } zone || !zone.All(char.IsAsciiDigit)))
        {
            return "timeZoneID is the number of a time zone, in a string";
        }

        var type = conference.ContainsKey("conferenceType") ? Number(conference, "conferenceType") : 0;
        return type switch
        {
            0 => null,
            1 when conference["cycleParams"] is JsonObject cycle => Cycle(cycle),
            1 => "cycleParams is required when conferenceType is 1",
            _ => "conferenceType is 0 (ordinary) or 1 (recurring)",
        };
    }

    private static string? Cycle(JsonObject cycle)
    {
        if (!Instant(Text(cycle, "startDate"), "yyyy-MM-dd") || !Instant(Text(cycle, "endDate"), "yyyy-MM-dd"))
        {
            return "cycleParams.startDate and endDate are yyyy-MM-dd";
        }

        var start = DateOnly.ParseExact(Text(cycle, "startDate")!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var end = DateOnly.ParseExact(Text(cycle, "endDate")!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (end < start || end > start.AddYears(1))
        {
            return "cycleParams.endDate is from startDate to one year after it";
        }

        var points = cycle["point"] as JsonArray;
        var (interval, pointRange) = Text(cycle, "cycle") switch
        {
            "Day" => (15, (0, 0)),
            "Week" => (5, (0, 6)),
            "Month" => (3, (1, 31)),
            _ => (0, (0, 0)),
        };
        if (interval == 0)
        {
            return "cycleParams.cycle is Day, Week or Month";
        }

        if (Number(cycle, "interval") is not { } every || every < 1 || every > interval)
        {
            return $"cycleParams.interval is 1 to {interval} for {Text(cycle, "cycle")}";
        }

        if (pointRange != (0, 0) && (points is not { Count: > 0 } || points.Any(p => p is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || v.GetValue<int>() < pointRange.Item1 || v.GetValue<int>() > pointRange.Item2)))
        {
            return $"cycleParams.point is a list of numbers from {pointRange.Item1} to {pointRange.Item2}";
        }

        return Number(cycle, "preRemindDays") is >= 0 and <= 30 ? null : "cycleParams.preRemindDays is required: 0 to 30";
    }

    private static bool Instant(string? text, string format) =>
        text is not null && DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static int? Number(JsonObject node, string name) =>
        node[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : null;
}
