using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// A fake Zoom: a Kestrel server on a loopback port with Zoom's server-to-server OAuth token endpoint
/// (<c>POST /oauth/token</c>, Basic auth, <c>grant_type=account_credentials</c>) and the meeting calls of REST API v2
/// (<c>POST /v2/users/me/meetings</c>, <c>GET/PATCH/DELETE /v2/meetings/{id}</c>) behind Bearer tokens. Bodies are
/// checked as Zoom documents them and refused with Zoom's error shape (<c>{"code":300,"message":…}</c>). It records
/// every call, can fail the next calls with 429 or 500, and can revoke the tokens it issued.
/// </summary>
public sealed partial class FakeZoom : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, bool> tokens = new();
    private FakePlatformServer server = null!;
    private long nextId = 81_000_000_000;

    private FakeZoom(string accountId, string clientId, string clientSecret)
    {
        AccountId = accountId;
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    /// <summary>The account the token endpoint accepts.</summary>
    public string AccountId { get; }

    /// <summary>The client id the token endpoint accepts.</summary>
    public string ClientId { get; }

    /// <summary>The client secret the token endpoint accepts.</summary>
    public string ClientSecret { get; }

    /// <summary>The port.</summary>
    public int Port => server.Root.Port;

    /// <summary>The REST API's base URL.</summary>
    public string ApiBaseUrl => $"http://127.0.0.1:{Port}/v2";

    /// <summary>The OAuth token endpoint.</summary>
    public string OAuthUrl => $"http://127.0.0.1:{Port}/oauth/token";

    /// <summary>The <c>expires_in</c> of the tokens issued, in seconds.</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>Every call received, in arrival order.</summary>
    public IEnumerable<FakeZoomCall> Calls =>
        server.Calls.Select(c => new FakeZoomCall(c.Method, c.Path, c.Query, c.Header("Authorization"), c.Body, c.Status));

    /// <summary>The meetings that exist, by id, as last created or changed.</summary>
    public ConcurrentDictionary<long, JsonObject> Meetings { get; } = new();

    /// <summary>How many tokens were issued.</summary>
    public int TokensIssued => Calls.Count(c => c.Path == "/oauth/token" && c.Status == 200);

    /// <summary>Starts a fake Zoom for the given app credentials.</summary>
    public static async Task<FakeZoom> StartAsync(string accountId = "acct-forgeline", string clientId = "client-forgeline", string clientSecret = "s3cret-client-value")
    {
        var zoom = new FakeZoom(accountId, clientId, clientSecret);
        zoom.server = await FakePlatformServer.StartAsync(
            (request, body) => zoom.Route(request.Method, request.Path.Value ?? "", request, body),
            status => status == 429
                ? Error(429, "You have reached the maximum per-second rate limit for this API. Try again later.")
                : Error(status, "Internal server error"));
        return zoom;
    }

    /// <summary>Makes the next <paramref name="count"/> calls (token calls included) answer <paramref name="status"/>, with <c>Retry-After</c> when given.</summary>
    public void FailNext(int count, int status, string? retryAfter = null) => server.FailNext(count, status, retryAfter);

    /// <summary>Forgets every token issued, so the next call with one answers 401.</summary>
    public void RevokeTokens() => tokens.Clear();

    /// <summary>How many meetings run at <paramref name="instant"/>, counting each meeting's first occurrence.</summary>
    public int ConcurrentAt(DateTimeOffset instant) => Meetings.Values.Count(m =>
    {
        var start = FirstStart(m);
        var duration = TimeSpan.FromMinutes(m["duration"]?.GetValue<int>() ?? 60);
        return start is { } s && s <= instant && instant < s + duration;
    });

    /// <inheritdoc />
    public ValueTask DisposeAsync() => server.DisposeAsync();

    private (int, JsonNode?) Route(string method, string path, HttpRequest request, string body)
    {
        if (path == "/oauth/token")
        {
            return method == "POST" ? Token(request) : (405, null);
        }

        if (!tokens.ContainsKey(Bearer(request) ?? ""))
        {
            return (401, Error(124, "Invalid access token."));
        }

        if (path == "/v2/users/me/meetings" && method == "POST")
        {
            return Create(body);
        }

        var match = MeetingPath().Match(path);
        if (!match.Success)
        {
            return (404, Error(404, $"No such API: {method} {path}"));
        }

        var id = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        if (!Meetings.TryGetValue(id, out var meeting))
        {
            return (404, Error(3001, "Meeting does not exist: " + id.ToString(CultureInfo.InvariantCulture) + "."));
        }

        switch (method)
        {
            case "GET":
                return (200, meeting.DeepClone());
            case "DELETE":
                Meetings.TryRemove(id, out _);
                return (204, null);
            case "PATCH":
                if (Parse(body, creating: false) is { } problem)
                {
                    return (400, Error(300, problem));
                }

                foreach (var (name, value) in JsonNode.Parse(body)!.AsObject())
                {
                    meeting[name] = value?.DeepClone();
                }

                return (204, null);
            default:
                return (405, null);
        }
    }

    private (int, JsonNode?) Token(HttpRequest request)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (request.Headers.Authorization.ToString() != expected)
        {
            return (401, new JsonObject { ["reason"] = "Invalid client_id or client_secret", ["error"] = "invalid_client" });
        }

        if (request.Query["grant_type"] != "account_credentials")
        {
            return (400, new JsonObject { ["reason"] = "Unsupported grant type", ["error"] = "unsupported_grant_type" });
        }

        if (request.Query["account_id"] != AccountId)
        {
            return (400, new JsonObject { ["reason"] = "Invalid account_id", ["error"] = "invalid_request" });
        }

        var token = "fz_" + Guid.NewGuid().ToString("N");
        tokens[token] = true;
        return (200, new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "bearer",
            ["expires_in"] = TokenLifetimeSeconds,
            ["scope"] = "meeting:write:admin meeting:read:admin",
            ["api_url"] = $"http://127.0.0.1:{Port}",
        });
    }

    private (int, JsonNode?) Create(string body)
    {
        if (Parse(body, creating: true) is { } problem)
        {
            return (400, Error(300, problem));
        }

        var meeting = JsonNode.Parse(body)!.AsObject();
        var id = Interlocked.Increment(ref nextId);
        var passcode = (id % 1_000_000).ToString("000000", CultureInfo.InvariantCulture);
        meeting["id"] = id;
        meeting["uuid"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"uuid-{id}"));
        meeting["password"] = passcode;
        meeting["join_url"] = $"https://zoom.us/j/{id}?pwd={passcode}";
        meeting["start_url"] = $"https://zoom.us/s/{id}?zak=host";
        meeting["host_id"] = "fake-host";
        Meetings[id] = meeting;
        return (201, meeting.DeepClone());
    }

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
    }

    private static JsonObject Error(int code, string message) => new() { ["code"] = code, ["message"] = message };

    private static DateTimeOffset? FirstStart(JsonObject meeting)
    {
        var text = meeting["start_time"]?.GetValue<string>();
        if (text is null || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return null;
        }

        if (text.EndsWith('Z') || meeting["timezone"]?.GetValue<string>() is not { } zone)
        {
            return new DateTimeOffset(parsed, TimeSpan.Zero);
        }

        var local = DateTime.SpecifyKind(parsed, DateTimeKind.Unspecified);
        var info = TimeZoneInfo.FindSystemTimeZoneById(zone);
        return new DateTimeOffset(local, info.GetUtcOffset(local));
    }

    [GeneratedRegex(@"^/v2/meetings/(\d+)$")]
    private static partial Regex MeetingPath();
}
