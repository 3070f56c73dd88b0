using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// A request of Tencent Meeting's event subscription as the "回调服务要求" and "签名校验" pages describe it: the data
/// (the URL verification's <c>check_str</c>, or an event POST body's <c>data</c>: base64 of the plain text or event
/// JSON), and the <c>X-TC-Timestamp</c> (milliseconds, as in the documented example), <c>X-TC-Nonce</c> and
/// <c>X-TC-Signature</c> headers, the signature the hex SHA-1 of token, timestamp, nonce and data sorted as strings
/// and joined. Computed here on its own, not with the code under test.
/// </summary>
/// <param name="Data">The signed data: <c>check_str</c> or the body's <c>data</c>.</param>
/// <param name="Timestamp">The <c>X-TC-Timestamp</c> header.</param>
/// <param name="Nonce">The <c>X-TC-Nonce</c> header.</param>
/// <param name="Signature">The <c>X-TC-Signature</c> header.</param>
public sealed record FakeTencentDelivery(string Data, string Timestamp, string Nonce, string Signature)
{
    /// <summary>The POST body: <c>{"data": "…"}</c>.</summary>
    public byte[] Body => Encoding.UTF8.GetBytes(new JsonObject { ["data"] = Data }.ToJsonString());

    /// <summary>A request carrying <paramref name="plain"/> (base64-encoded), signed with <paramref name="token"/> at <paramref name="at"/>.</summary>
    public static FakeTencentDelivery Signed(string token, string plain, DateTimeOffset at, string nonce = "14964161")
    {
        var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(plain));
        var timestamp = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var sorted = new List<string> { token, timestamp, nonce, data };
        sorted.Sort(StringComparer.Ordinal);
#pragma warning disable CA5350 // the platform's documented signature is SHA-1
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(string.Join("", sorted)));
#pragma warning restore CA5350
        return new FakeTencentDelivery(data, timestamp, nonce, string.Concat(hash.Select(b => b.ToString("x2", CultureInfo.InvariantCulture))));
    }

    /// <summary>A signed <c>recording.completed</c> of the meeting <paramref name="meetingId"/> with the files <paramref name="fileIds"/>.</summary>
    public static FakeTencentDelivery RecordingCompleted(string token, DateTimeOffset at, string meetingId, IEnumerable<string> fileIds, string traceId = "e7aa65dd-f7e6-4b62-912c-2035173b34a9")
    {
        var files = new JsonArray();
        foreach (var id in fileIds)
        {
            files.Add(new JsonObject { ["record_file_id"] = id });
        }

        var body = new JsonObject
        {
            ["event"] = "recording.completed",
            ["trace_id"] = traceId,
            ["payload"] = new JsonArray(new JsonObject
            {
                ["operate_time"] = at.ToUnixTimeMilliseconds(),
                ["recording_files"] = files,
                ["meeting_info"] = new JsonObject
                {
                    ["meeting_id"] = meetingId,
                    ["meeting_code"] = "445999969",
                    ["media_set_type"] = "2",
                    ["subject"] = "forgeline meeting",
                    ["creator"] = new JsonObject { ["userid"] = "forgeline-bot", ["user_name"] = "Forgeline" },
                    ["meeting_type"] = 0,
                    ["start_time"] = at.AddHours(-1).ToUnixTimeSeconds(),
                    ["end_time"] = at.AddMinutes(-5).ToUnixTimeSeconds(),
                },
            }),
        };
        return Signed(token, body.ToJsonString(), at);
    }
}
