using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// An event notification as Zoom sends it: the raw body and the <c>x-zm-request-timestamp</c> and
/// <c>x-zm-signature</c> headers, signed with the app's secret token the way Zoom documents
/// (<c>v0=</c> hex HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>).
/// </summary>
/// <param name="Body">The body's bytes.</param>
/// <param name="Timestamp">The <c>x-zm-request-timestamp</c> header (Unix seconds).</param>
/// <param name="Signature">The <c>x-zm-signature</c> header.</param>
public sealed record FakeZoomDelivery(byte[] Body, string Timestamp, string Signature)
{
    /// <summary>A signed delivery of <paramref name="body"/> sent at <paramref name="at"/>.</summary>
    public static FakeZoomDelivery Signed(string secretToken, string body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretToken), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"));
        return new FakeZoomDelivery(bytes, timestamp, "v0=" + Convert.ToHexStringLower(mac));
    }

    /// <summary>A signed <c>recording.completed</c> for the meeting <paramref name="meetingId"/>, with an MP4 and an M4A file.</summary>
    public static FakeZoomDelivery RecordingCompleted(string secretToken, DateTimeOffset at, long meetingId, string uuid, string topic, long mp4Bytes = 10_485_760, string downloadBase = "https://zoom.us/rec/download")
    {
        var start = at.AddHours(-1);
        var end = at.AddMinutes(-2);
        JsonObject File(string id, string type, long size) => new()
        {
            ["id"] = id,
            ["meeting_id"] = uuid,
            ["recording_start"] = Iso(start),
            ["recording_end"] = Iso(end),
            ["file_type"] = type,
            ["file_extension"] = type,
            ["file_size"] = size,
            ["play_url"] = $"https://zoom.us/rec/play/{id}",
            ["download_url"] = $"{downloadBase}/{id}",
            ["status"] = "completed",
            ["recording_type"] = type == "MP4" ? "shared_screen_with_speaker_view" : "audio_only",
        };
        var body = new JsonObject
        {
            ["event"] = "recording.completed",
            ["event_ts"] = at.ToUnixTimeMilliseconds(),
            ["payload"] = new JsonObject
            {
                ["account_id"] = "acct-forgeline",
                ["object"] = new JsonObject
                {
                    ["id"] = meetingId,
                    ["uuid"] = uuid,
                    ["host_id"] = "fake-host",
                    ["account_id"] = "acct-forgeline",
                    ["topic"] = topic,
                    ["type"] = 8,
                    ["start_time"] = Iso(start),
                    ["timezone"] = "Europe/Berlin",
                    ["duration"] = 60,
                    ["total_size"] = mp4Bytes + 1_048_576,
                    ["recording_count"] = 2,
                    ["share_url"] = $"https://zoom.us/rec/share/{meetingId}",
                    ["recording_files"] = new JsonArray(File("f-mp4-1", "MP4", mp4Bytes), File("f-m4a-1", "M4A", 1_048_576)),
                },
            },
            ["download_token"] = "dl-token-abc",
        };
        return Signed(secretToken, body.ToJsonString(), at);
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
