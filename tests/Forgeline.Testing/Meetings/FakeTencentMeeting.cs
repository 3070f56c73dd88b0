using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// A fake Tencent Meeting REST API v1 for an enterprise self-built app (<c>POST /v1/meetings</c>,
/// <c>PUT /v1/meetings/{meeting_id}</c>, <c>POST /v1/meetings/{meeting_id}/cancel</c>, and "查询单个录制详情"
/// <c>GET /v1/addresses/{record_file_id}?operator_id=…&amp;operator_id_type=1</c> for the files of
/// <see cref="Recordings"/>). Every request's signature is
/// checked as cloud.tencent.com/document/product/1095/42413 documents it, computed here on its own: the HMAC-SHA256
/// (keyed with the SecretKey) of <c>METHOD\nX-TC-Key=…&amp;X-TC-Nonce=…&amp;X-TC-Timestamp=…\nURI\nbody</c>, as hex, then
/// base64; with the headers <c>AppId</c>, <c>SdkId</c>, <c>X-TC-Registered</c> and a timestamp at most five minutes off.
/// Refusals use Tencent's shape (<c>{"error_info":{"error_code":…,"new_error_code":…,"message":…}}</c>): a request
/// error is 400, as the error-code page says, except "meeting does not exist" (9003), which its own example answers
/// with 500.
/// </summary>
public sealed partial class FakeTencentMeeting : IAsyncDisposable
{
    /// <summary>The documented code of a signature that does not verify.</summary>
    public const int SignatureFailed = 200003;

    /// <summary>The documented code of an unknown meeting.</summary>
    public const int MeetingNotExist = 9003;

    /// <summary>The documented code of an unknown user.</summary>
    public const int UserNotExist = 20001;

    /// <summary>The documented code of a parameter error (listed for the user API; the meeting calls answer it too here).</summary>
    public const int ParameterError = 10001;

    private readonly TimeProvider time;
    private FakePlatformServer server = null!;
    private long nextId = 1_300_000_000_000_000_000;

    private FakeTencentMeeting(TimeProvider time) => this.time = time;

    /// <summary>The enterprise id (header <c>AppId</c>).</summary>
    public string AppId { get; private init; } = "";

    /// <summary>The app's SDK id (header <c>SdkId</c>).</summary>
    public string SdkId { get; private init; } = "";

    /// <summary>The SecretId (header <c>X-TC-Key</c>).</summary>
    public string SecretId { get; private init; } = "";

    /// <summary>The SecretKey signatures are keyed with.</summary>
    public string SecretKey { get; private init; } = "";

    /// <summary>The only enterprise user that exists.</summary>
    public string UserId { get; private init; } = "";

    /// <summary>The REST API's base URL (without <c>/v1</c>).</summary>
    public string ApiBaseUrl => server.Root.ToString().TrimEnd('/');

    /// <summary>Every call received, in arrival order.</summary>
    public IEnumerable<FakePlatformCall> Calls => server.Calls;

    /// <summary>The meetings that exist, by meeting_id, as last created or changed.</summary>
    public ConcurrentDictionary<string, JsonObject> Meetings { get; } = new();

    /// <summary>The cloud recording files that exist, by record_file_id: their meeting and where they download from.</summary>
    public ConcurrentDictionary<string, (string MeetingId, Uri DownloadUrl)> Recordings { get; } = new();

    /// <summary>Starts a fake Tencent Meeting for the given app, on <paramref name="time"/> (the system clock when null).</summary>
    public static async Task<FakeTencentMeeting> StartAsync(
        TimeProvider? time = null, string appId = "211000001", string sdkId = "19000001", string secretId = "AKIDforgelinetest",
        string secretKey = "tc-secret-key-never-shown", string userId = "forgeline-bot")
    {
        var tencent = new FakeTencentMeeting(time ?? TimeProvider.System)
        {
            AppId = appId,
            SdkId = sdkId,
            SecretId = secretId,
            SecretKey = secretKey,
            UserId = userId,
        };
        tencent.server = await FakePlatformServer.StartAsync(
            tencent.Route,
            status => status == 429
                ? Error(9061, "request too frequent, exceeded the rate limit")
                : Error(status, "internal server error"));
        return tencent;
    }

    /// <summary>Makes the next <paramref name="count"/> calls answer <paramref name="status"/>, with <c>Retry-After</c> when given.</summary>
    public void FailNext(int count, int status, string? retryAfter = null) => server.FailNext(count, status, retryAfter);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => server.DisposeAsync();

    private (int, JsonNode?) Route(HttpRequest request, string body)
    {
        if (Unsigned(request, body) is { } refusal)
        {
            return (400, refusal);
        }

        var path = request.Path.Value ?? "";
        if (path == "/v1/meetings" && request.Method == "POST")
        {
            return Create(body);
        }

        if (AddressPath().Match(path) is { Success: true } address && request.Method == "GET")
        {
            return Address(Uri.UnescapeDataString(address.Groups[1].Value), request);
        }

        var match = MeetingPath().Match(path);
        if (!match.Success)
        {
            return (404, Error(ParameterError, $"no such API: {request.Method} {path}"));
        }

        var id = match.Groups[1].Value;
        var cancel = match.Groups[2].Success;
        if ((cancel && request.Method != "POST") || (!cancel && request.Method != "PUT"))
        {
            return (405, Error(ParameterError, $"method {request.Method} not allowed"));
        }

        if (Check(body, cancel ? Operation.Cancel : Operation.Update) is { } problem)
        {
            return problem;
        }

        if (!Meetings.TryGetValue(id, out var meeting))
        {
            return (500, Error(MeetingNotExist, "MEETING NOT EXIST"));
        }

        if (cancel)
        {
            Meetings.TryRemove(id, out _);
            return (200, new JsonObject());
        }

        foreach (var (name, value) in JsonNode.Parse(body)!.AsObject())
        {
            meeting[name] = value?.DeepClone();
        }

        return (200, new JsonObject
        {
            ["meeting_number"] = 1,
            ["meeting_info_list"] = new JsonArray(new JsonObject { ["meeting_id"] = id, ["meeting_code"] = meeting["meeting_code"]?.DeepClone() }),
        });
    }

    private (int, JsonNode?) Create(string body)
    {
        if (Check(body, Operation.Create) is { } problem)
        {
            return problem;
        }

        var meeting = JsonNode.Parse(body)!.AsObject();
        var id = Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);
        var code = (long.Parse(id, CultureInfo.InvariantCulture) % 1_000_000_000).ToString("000000000", CultureInfo.InvariantCulture);
        meeting["meeting_id"] = id;
        meeting["meeting_code"] = code;
        meeting["join_url"] = $"https://meeting.tencent.com/dm/{code}";
        Meetings[id] = meeting;
        return (200, new JsonObject
        {
            ["meeting_number"] = 1,
            ["meeting_info_list"] = new JsonArray(new JsonObject
            {
                ["subject"] = meeting["subject"]?.DeepClone(),
                ["meeting_id"] = id,
                ["meeting_code"] = code,
                ["start_time"] = meeting["start_time"]?.DeepClone(),
                ["end_time"] = meeting["end_time"]?.DeepClone(),
                ["join_url"] = $"https://meeting.tencent.com/dm/{code}",
                ["hosts"] = new JsonArray(new JsonObject { ["userid"] = UserId }),
            }),
        });
    }

    private (int, JsonNode?) Address(string fileId, HttpRequest request)
    {
        if (request.Query["operator_id"] != UserId || request.Query["operator_id_type"] != "1")
        {
            return (400, Error(ParameterError, "operator_id (the userid of a user allowed to view the recording) and operator_id_type=1 are required"));
        }

        if (!Recordings.TryGetValue(fileId, out var file))
        {
            return (400, Error(ParameterError, $"record file not exist: {fileId}"));
        }

        var code = file.MeetingId.Length >= 9 ? file.MeetingId[^9..] : file.MeetingId.PadLeft(9, '0');
        return (200, new JsonObject
        {
            ["record_file_id"] = fileId,
            ["meeting_id"] = file.MeetingId,
            ["meeting_code"] = code,
            ["view_address"] = $"https://meeting.tencent.com/v2/cloud-record/share?id={fileId}",
            ["download_address"] = file.DownloadUrl.ToString(),
            ["download_address_file_type"] = "mp4",
            ["audio_address"] = "",
            ["audio_address_file_type"] = "m4a",
        });
    }

    /// <summary>Why the request's authentication headers are refused, in Tencent's words, or null.</summary>
    private JsonObject? Unsigned(HttpRequest request, string body)
    {
        var headers = request.Headers;
        if (headers["X-TC-Key"] != SecretId || headers["AppId"] != AppId || headers["SdkId"] != SdkId)
        {
            return Error(SignatureFailed, "Signature failed: unknown X-TC-Key, AppId or SdkId");
        }

        if (headers["X-TC-Registered"] != "1")
        {
            return Error(SignatureFailed, "Signature failed: X-TC-Registered must be 1 for an enterprise app");
        }

        if (!long.TryParse(headers["X-TC-Timestamp"], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - timestamp) > 300)
        {
            return Error(SignatureFailed, "Signature failed: the timestamp is more than 5 minutes from the server's time");
        }

        if (!long.TryParse(headers["X-TC-Nonce"], NumberStyles.None, CultureInfo.InvariantCulture, out var nonce) || nonce <= 0)
        {
            return Error(SignatureFailed, "Signature failed: X-TC-Nonce must be a positive integer");
        }

        var signed = $"{request.Method}\nX-TC-Key={headers["X-TC-Key"]}&X-TC-Nonce={headers["X-TC-Nonce"]}&X-TC-Timestamp={headers["X-TC-Timestamp"]}\n{request.Path.Value}{request.QueryString.Value}\n{body}";
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(SecretKey));
        var hex = string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes(signed)).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes(hex));
        if (headers["X-TC-Signature"] != expected)
        {
            return Error(SignatureFailed, "Signature failed");
        }

        return request.ContentType is { } type && type.StartsWith("application/json", StringComparison.Ordinal)
            ? null
            : Error(ParameterError, "Content-Type must be application/json");
    }

    private static JsonObject Error(int code, string message) => new()
    {
        ["error_info"] = new JsonObject { ["error_code"] = code, ["new_error_code"] = code, ["message"] = message },
    };

    [GeneratedRegex(@"^/v1/addresses/([^/]+)$")]
    private static partial Regex AddressPath();

    [GeneratedRegex(@"^/v1/meetings/(\d+)(/cancel)?$")]
    private static partial Regex MeetingPath();
}
