using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// A fake Huawei Cloud Meeting (WeLink) REST API: App ID authentication (<c>POST /v2/usg/acs/auth/appauth</c>) checked
/// as the "执行App ID鉴权" page documents it — <c>Authorization: HMAC-SHA256 signature=HexEncode(HMAC-SHA256(appId:userId:expireTime:nonce,
/// appKey)),access=base64(appId)</c>, <c>X-Token-Type: LongTicket</c>, a body with appId, clientType, expireTime (not
/// passed) and a 32–64 character nonce — and the conference calls (<c>POST</c>, <c>PUT</c> and <c>DELETE
/// /v1/mmc/management/conferences</c>) behind <c>X-Access-Token</c>. Refusals use Huawei's shape
/// (<c>{"error_code":"…","error_msg":"…"}</c>) and the documented statuses (400 bad parameters, 401 authentication);
/// the codes carry Huawei's USG/MMC prefixes, their numbers are the fake's own.
/// </summary>
public sealed partial class FakeWeLink : IAsyncDisposable
{
    /// <summary>The fake's code for an App ID signature or token that is not accepted.</summary>
    public const string AuthFailed = "USG.000000004";

    /// <summary>The fake's code for a bad parameter.</summary>
    public const string ParameterError = "MMC.111000001";

    /// <summary>The fake's code for an unknown conference.</summary>
    public const string ConferenceNotFound = "MMC.111070005";

    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, bool> tokens = new();
    private FakePlatformServer server = null!;
    private long nextId = 914_000_000;

    private FakeWeLink(TimeProvider time) => this.time = time;

    /// <summary>The App ID.</summary>
    public string AppId { get; private init; } = "";

    /// <summary>The App Key signatures are keyed with.</summary>
    public string AppKey { get; private init; } = "";

    /// <summary>The REST API's base URL.</summary>
    public string ApiBaseUrl => server.Root.ToString().TrimEnd('/');

    /// <summary>The <c>validPeriod</c> of the tokens issued, in seconds.</summary>
    public int TokenLifetimeSeconds { get; set; } = 43_200;

    /// <summary>Every call received, in arrival order.</summary>
    public IEnumerable<FakePlatformCall> Calls => server.Calls;

    /// <summary>The conferences that exist, by conferenceID, as last created or changed.</summary>
    public ConcurrentDictionary<string, JsonObject> Conferences { get; } = new();

    /// <summary>How many tokens were issued.</summary>
    public int TokensIssued => Calls.Count(c => c.Path == "/v2/usg/acs/auth/appauth" && c.Status == 200);

    /// <summary>Starts a fake for the given app, on <paramref name="time"/> (the system clock when null).</summary>
    public static async Task<FakeWeLink> StartAsync(TimeProvider? time = null, string appId = "fdb8e4699586458bbd10c834872dcc62", string appKey = "wl-app-key-never-shown")
    {
        var welink = new FakeWeLink(time ?? TimeProvider.System) { AppId = appId, AppKey = appKey };
        welink.server = await FakePlatformServer.StartAsync(
            welink.Route,
            status => status == 429 ? Error("USG.000000429", "Too many requests") : Error("MMC.000000500", "System error"));
        return welink;
    }

    /// <summary>Makes the next <paramref name="count"/> calls (token calls included) answer <paramref name="status"/>, with <c>Retry-After</c> when given.</summary>
    public void FailNext(int count, int status, string? retryAfter = null) => server.FailNext(count, status, retryAfter);

    /// <summary>Forgets every token issued, so the next call with one answers 401.</summary>
    public void RevokeTokens() => tokens.Clear();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => server.DisposeAsync();

    private (int, JsonNode?) Route(HttpRequest request, string body)
    {
        var path = request.Path.Value ?? "";
        if (path == "/v2/usg/acs/auth/appauth")
        {
            return request.Method == "POST" ? AppAuth(request, body) : (405, null);
        }

        if (path != "/v1/mmc/management/conferences")
        {
            return (404, Error(ParameterError, $"no such API: {request.Method} {path}"));
        }

        if (!tokens.ContainsKey(request.Headers["X-Access-Token"].ToString()))
        {
            return (401, Error(AuthFailed, "Authentication failed: the access token is invalid or expired"));
        }

        if (request.Method == "POST")
        {
            return Create(body);
        }

        var id = request.Query["conferenceID"].ToString();
        if (id.Length == 0)
        {
            return (400, Error(ParameterError, "conferenceID is required"));
        }

        if (!Conferences.TryGetValue(id, out var conference))
        {
            return (404, Error(ConferenceNotFound, $"The conference {id} does not exist"));
        }

        switch (request.Method)
        {
            case "DELETE":
                Conferences.TryRemove(id, out _);
                return (200, null);
            case "PUT":
                if (Check(body) is { } problem)
                {
                    return (400, Error(ParameterError, problem));
                }

                foreach (var (name, value) in JsonNode.Parse(body)!.AsObject())
                {
                    conference[name] = value?.DeepClone();
                }

                return (200, new JsonArray(Answer(id, conference)));
            default:
                return (405, null);
        }
    }

    private (int, JsonNode?) AppAuth(HttpRequest request, string body)
    {
        JsonObject auth;
        try
        {
            auth = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return (400, Error(ParameterError, "The body is not a JSON object"));
        }

        if (request.Headers["X-Token-Type"] != "LongTicket")
        {
            return (400, Error(ParameterError, "X-Token-Type must be LongTicket"));
        }

        var appId = Text(auth, "appId");
        var nonce = Text(auth, "nonce");
        var expireTime = auth["expireTime"] is JsonValue e && e.GetValueKind() == JsonValueKind.Number && e.TryGetValue<long>(out var seconds) ? seconds : (long?)null;
        if (appId is null || nonce is not { Length: >= 32 and <= 64 } || expireTime is null || Number(auth, "clientType") is not (72 or (>= 50 and <= 55)))
        {
            return (400, Error(ParameterError, "appId, clientType, expireTime and a nonce of 32 to 64 characters are required"));
        }

        if (expireTime != 0 && expireTime < time.GetUtcNow().ToUnixTimeSeconds())
        {
            return (401, Error(AuthFailed, "Authentication failed: the App ID signature has expired"));
        }

        var userId = Text(auth, "userId") ?? "";
        var who = Text(auth, "corpId") is { Length: > 0 } corpId ? $"{corpId}:{userId}" : userId;
        var signed = $"{appId}:{who}:{expireTime.Value.ToString(CultureInfo.InvariantCulture)}:{nonce}";
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(AppKey));
        var signature = string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes(signed)).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        var expected = $"HMAC-SHA256 signature={signature},access={Convert.ToBase64String(Encoding.UTF8.GetBytes(AppId))}";
        if (appId != AppId || request.Headers.Authorization != expected)
        {
            return (401, Error(AuthFailed, "Authentication failed: the App ID or its signature is wrong"));
        }

        var token = "wl" + Guid.NewGuid().ToString("N");
        tokens[token] = true;
        return (200, new JsonObject
        {
            ["accessToken"] = token,
            ["validPeriod"] = TokenLifetimeSeconds,
            ["expireTime"] = time.GetUtcNow().ToUnixTimeSeconds() + TokenLifetimeSeconds,
            ["clientType"] = 72,
            ["tokenType"] = 0,
            ["refreshToken"] = "wr" + Guid.NewGuid().ToString("N"),
            ["refreshValidPeriod"] = 2_592_000,
        });
    }

    private (int, JsonNode?) Create(string body)
    {
        if (Check(body) is { } problem)
        {
            return (400, Error(ParameterError, problem));
        }

        var conference = JsonNode.Parse(body)!.AsObject();
        var id = Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);
        conference["conferenceID"] = id;
        conference["guestPwd"] = (long.Parse(id, CultureInfo.InvariantCulture) % 1_000_000).ToString("000000", CultureInfo.InvariantCulture);
        Conferences[id] = conference;
        return (200, new JsonArray(Answer(id, conference)));
    }

    private static JsonObject Answer(string id, JsonObject conference) => new()
    {
        ["conferenceID"] = id,
        ["subject"] = conference["subject"]?.DeepClone(),
        ["mediaTypes"] = "Data,Voice,HDVideo",
        ["startTime"] = conference["startTime"]?.DeepClone(),
        ["conferenceState"] = "Schedule",
        ["conferenceType"] = conference["conferenceType"]?.GetValue<int>() == 1 ? 2 : 0,
        ["passwordEntry"] = new JsonArray(
            new JsonObject { ["conferenceRole"] = "chair", ["password"] = "77" + conference["guestPwd"]?.GetValue<string>() },
            new JsonObject { ["conferenceRole"] = "general", ["password"] = conference["guestPwd"]?.DeepClone() }),
        ["chairJoinUri"] = $"https://meeting.huaweicloud.com/#/j/{id}/chair",
        ["guestJoinUri"] = $"https://meeting.huaweicloud.com/#/j/{id}/guest",
    };

    private static JsonObject Error(string code, string message) => new() { ["error_code"] = code, ["error_msg"] = message };
}
