using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Forgeline.Meetings.Platforms.Zoom;

/// <summary>
/// Zoom's event notifications: a delivery is genuine when <c>x-zm-signature</c> is <c>v0=</c> and the hex HMAC-SHA256,
/// keyed with the app's secret token, of <c>v0:{x-zm-request-timestamp}:{raw body}</c>, compared in constant time, and
/// its timestamp is at most <see cref="MaxAge"/> from now (an old one is a replay). Also answers Zoom's URL validation
/// and reads <c>recording.completed</c>.
/// </summary>
public sealed class ZoomWebhook
{
    /// <summary>How far a delivery's timestamp may be from now.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>The event Zoom sends to check that the endpoint is ours.</summary>
    public const string UrlValidation = "endpoint.url_validation";

    /// <summary>The event Zoom sends when a cloud recording is ready.</summary>
    public const string RecordingCompleted = "recording.completed";

    /// <summary>The event of someone joining a meeting.</summary>
    public const string ParticipantJoined = "meeting.participant_joined";

    private readonly byte[] secret;
    private readonly TimeProvider time;

    /// <summary>A verifier for deliveries signed with <paramref name="secretToken"/>.</summary>
    public ZoomWebhook(string secretToken, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretToken);
        secret = Encoding.UTF8.GetBytes(secretToken);
        this.time = time;
    }

    /// <summary>
    /// Whether the delivery of <paramref name="body"/> with these headers is genuine and fresh; when not,
    /// <paramref name="problem"/> says why (never with the secret or the expected signature).
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> body, string? timestamp, string? signature, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(timestamp) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            problem = "the delivery has no valid x-zm-request-timestamp header";
            return false;
        }

        if (string.IsNullOrEmpty(signature) || !signature.StartsWith("v0=", StringComparison.Ordinal))
        {
            problem = "the delivery has no v0 x-zm-signature header";
            return false;
        }

        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(secret, message)));
        var given = Encoding.ASCII.GetBytes(signature[3..].ToLowerInvariant());
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            problem = "the delivery's x-zm-signature does not match its body: it was not signed with the webhook secret token";
            return false;
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (age > MaxAge || age < -MaxAge)
        {
            problem = $"the delivery's timestamp is {Math.Abs(age.TotalMinutes):0} minutes from now, more than {MaxAge.TotalMinutes:0}: a replay or a wrong clock";
            return false;
        }

        return true;
    }

    /// <summary>The answer to an <c>endpoint.url_validation</c> event: its plain token and that token's hex HMAC.</summary>
    public ZoomUrlValidationAnswer AnswerUrlValidation(string plainToken)
    {
        ArgumentNullException.ThrowIfNull(plainToken);
        var encrypted = Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(plainToken)));
        return new ZoomUrlValidationAnswer(plainToken, encrypted);
    }

    /// <summary>Reads a verified delivery's envelope, or null when it is not a Zoom event.</summary>
    public static ZoomEvent? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "event") is not { } name)
            {
                return null;
            }

            var eventTs = root.TryGetProperty("event_ts", out var ts) && ts.TryGetInt64(out var t) ? t : 0;
            var payload = root.TryGetProperty("payload", out var p) ? p.Clone() : default;
            var target = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("object", out var o) ? o : default;
            var id = target.ValueKind == JsonValueKind.Object ? Text(target, "uuid") ?? Text(target, "id") : null;
            var key = id is null || eventTs == 0
                ? $"{name}:sha256:{Convert.ToHexStringLower(SHA256.HashData(body))}"
                : $"{name}:{id}:{eventTs.ToString(CultureInfo.InvariantCulture)}";
            return new ZoomEvent(name, eventTs, key, payload, Text(root, "download_token") ?? Text(payload, "download_token"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The plain token of an <c>endpoint.url_validation</c> event, or null.</summary>
    public static string? PlainToken(ZoomEvent delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return delivery.Name == UrlValidation ? Text(delivery.Payload, "plainToken") : null;
    }

    /// <summary>
    /// Who joined, from a <c>meeting.participant_joined</c> event: the meeting's id and a key of the participant
    /// (their uuid, user id, id or name, the first Zoom gives); null for any other event.
    /// </summary>
    public static ZoomParticipant? Participant(ZoomEvent delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.Name != ParticipantJoined || delivery.Payload.ValueKind != JsonValueKind.Object
            || !delivery.Payload.TryGetProperty("object", out var meeting) || meeting.ValueKind != JsonValueKind.Object
            || !meeting.TryGetProperty("participant", out var who) || who.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var key = Text(who, "participant_uuid") ?? Text(who, "user_id") ?? Text(who, "id") ?? Text(who, "user_name");
        return Text(meeting, "id") is { } id && key is { Length: > 0 } ? new ZoomParticipant(id, key, Instant(who, "join_time")) : null;
    }

    /// <summary>The recording of a <c>recording.completed</c> event, or null for any other event.</summary>
    public static ZoomRecording? Recording(ZoomEvent delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery.Name != RecordingCompleted || delivery.Payload.ValueKind != JsonValueKind.Object
            || !delivery.Payload.TryGetProperty("object", out var meeting) || meeting.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var files = new List<ZoomRecordingFile>();
        if (meeting.TryGetProperty("recording_files", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var file in list.EnumerateArray())
            {
                files.Add(new ZoomRecordingFile(
                    Text(file, "id"),
                    Text(file, "file_type") ?? "",
                    file.TryGetProperty("file_size", out var size) && size.TryGetInt64(out var bytes) ? bytes : null,
                    Text(file, "download_url") ?? "",
                    Instant(file, "recording_start"),
                    Instant(file, "recording_end")));
            }
        }

        return new ZoomRecording(Text(meeting, "id") ?? "", Text(meeting, "uuid") ?? "", Text(meeting, "topic") ?? "", files, delivery.DownloadToken);
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

    private static DateTimeOffset? Instant(JsonElement element, string name) =>
        Text(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
