using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Forgeline.Meetings.Platforms.Tencent;

/// <summary>
/// Tencent Meeting's event subscription (事件订阅, cloud.tencent.com/document/product/1095: "回调服务要求" and "签名校验"):
/// a request is genuine when its signature header is the hex SHA-1 of token, timestamp, nonce and data, sorted as
/// strings and joined without separator, compared in constant time; and fresh when its timestamp is at most
/// <see cref="MaxAge"/> from now. The data is the <c>check_str</c> query parameter of the URL verification GET, or the
/// <c>data</c> field of an event POST's JSON body; either is base64 (of the plain text or event JSON). Only
/// subscriptions without an EncodingAESKey are supported: with one, the data is also AES-encrypted.
/// </summary>
public sealed class TencentWebhook
{
    /// <summary>How far a request's timestamp may be from now.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>The event Tencent Meeting sends when a cloud recording is transcoded and ready.</summary>
    public const string RecordingCompleted = "recording.completed";

    // The documentation's signature example uses a 13-digit timestamp (milliseconds) while its header table only says
    // "时间戳"; a value this large is read as milliseconds, a smaller one as seconds.
    private const long MillisecondsFrom = 100_000_000_000;

    private readonly string token;
    private readonly TimeProvider time;

    /// <summary>A verifier for requests signed with the subscription's <paramref name="token"/>.</summary>
    public TencentWebhook(string token, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        this.token = token;
        this.time = time;
    }

    /// <summary>
    /// Whether a request carrying <paramref name="data"/> (<c>check_str</c> or the body's <c>data</c>) with these headers
    /// is genuine and fresh; when not, <paramref name="problem"/> says why (never with the token or the expected signature).
    /// </summary>
    public bool Verify(string? timestamp, string? nonce, string? signature, string? data, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(timestamp) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var stamp))
        {
            problem = "the request has no valid X-TC-Timestamp header";
            return false;
        }

        if (string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature))
        {
            problem = "the request has no X-TC-Nonce or X-TC-Signature header";
            return false;
        }

        if (string.IsNullOrEmpty(data))
        {
            problem = "the request carries no data (check_str or the body's data field) to verify";
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(token, timestamp, nonce, data));
        var given = Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant());
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            problem = "the request's X-TC-Signature does not match its data: it was not signed with the webhook token";
            return false;
        }

        var sent = stamp >= MillisecondsFrom ? DateTimeOffset.FromUnixTimeMilliseconds(stamp) : DateTimeOffset.FromUnixTimeSeconds(stamp);
        var age = time.GetUtcNow() - sent;
        if (age > MaxAge || age < -MaxAge)
        {
            problem = $"the request's timestamp is {Math.Abs(age.TotalMinutes):0} minutes from now, more than {MaxAge.TotalMinutes:0}: a replay or a wrong clock";
            return false;
        }

        return true;
    }

    /// <summary>The documented signature: hex SHA-1 of the four values sorted ordinally and concatenated.</summary>
    public static string Sign(string token, string timestamp, string nonce, string data)
    {
        string[] parts = [token, timestamp, nonce, data];
        Array.Sort(parts, StringComparer.Ordinal);
#pragma warning disable CA5350 // Tencent Meeting's webhook signature is defined as SHA-1; the platform chose it, not us
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
#pragma warning restore CA5350
    }

    /// <summary>The answer to the URL verification GET: its <c>check_str</c> base64-decoded, or null when it is not base64 of UTF-8 text.</summary>
    public static string? AnswerUrlVerification(string checkStr)
    {
        ArgumentNullException.ThrowIfNull(checkStr);
        return Decode(checkStr) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
    }

    /// <summary>
    /// The query's <c>check_str</c> as signed: base64 has no spaces, so a space is a <c>+</c> that a form-style URL
    /// decoding turned into one.
    /// </summary>
    public static string CheckString(string value) => (value ?? "").Replace(' ', '+');

    /// <summary>The <c>data</c> field of an event POST's body, or null when the body is not <c>{"data": "…"}</c>.</summary>
    public static string? Data(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("data", out var data)
                && data.ValueKind == JsonValueKind.String ? data.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads a verified event's <paramref name="data"/> (base64 of its JSON), or null when it is not a Tencent Meeting event.</summary>
    public static TencentEvent? Parse(string data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Decode(data) is not { } json)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "event") is not { Length: > 0 } name)
            {
                return null;
            }

            // Older documentation calls the event's unique sequence value unique_sequence; newer, trace_id.
            var trace = Text(root, "trace_id") ?? Text(root, "unique_sequence");
            var key = trace is { Length: > 0 }
                ? $"tencent:{name}:{trace}"
                : $"tencent:{name}:sha256:{Convert.ToHexStringLower(SHA256.HashData(json))}";
            var payload = root.TryGetProperty("payload", out var p) ? p.Clone() : default;
            return new TencentEvent(name, key, payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The recordings of a <c>recording.completed</c> event (one per payload item with a meeting and at least one file),
    /// or none for any other event.
    /// </summary>
    public static IReadOnlyList<TencentRecording> Recordings(TencentEvent delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var recordings = new List<TencentRecording>();
        if (delivery.Name != RecordingCompleted || delivery.Payload.ValueKind != JsonValueKind.Array)
        {
            return recordings;
        }

        foreach (var item in delivery.Payload.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("meeting_info", out var meeting) || Text(meeting, "meeting_id") is not { Length: > 0 } id
                || !item.TryGetProperty("recording_files", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var ids = files.EnumerateArray().Select(f => Text(f, "record_file_id")).OfType<string>().Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (ids.Count > 0)
            {
                recordings.Add(new TencentRecording(id, ids));
            }
        }

        return recordings;
    }

    private static byte[]? Decode(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }
}
