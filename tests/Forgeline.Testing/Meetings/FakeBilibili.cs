using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// A fake Bilibili open platform, API and upload server on one port: <c>POST /arcopen/fn/archive/video/init</c> (with
/// <c>client_id</c> and <c>access_token</c>) gives an <c>upload_token</c>; <c>POST /video/v2/part/upload?upload_token=…&amp;part_number=N</c>
/// keeps each part's bytes; <c>POST /arcopen/fn/archive/video/complete</c> joins parts 1..N (refusing a gap);
/// <c>POST /arcopen/fn/archive/add-by-utoken</c> checks title (1–80 characters), tid, tag and copyright and answers a BV
/// id. Errors are Bilibili's: HTTP 200 with <c>{"code":non-zero,"message":…}</c>. It can fail the next parts with 503,
/// cut the connection during a part, and refuse the submission with a code.
/// </summary>
public sealed class FakeBilibili : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, byte[]>> uploads = new();
    private readonly ConcurrentDictionary<string, byte[]> joined = new();
    private readonly Lock faultLock = new();
    private LoopbackFake server = null!;
    private int partFailures;
    private int partDrops;
    private (int Code, string Message)? submitRefusal;
    private int nextVideo;

    private FakeBilibili(string clientId, string accessToken)
    {
        ClientId = clientId;
        AccessToken = accessToken;
    }

    /// <summary>The app's client id accepted.</summary>
    public string ClientId { get; }

    /// <summary>The access token accepted.</summary>
    public string AccessToken { get; }

    /// <summary>The base URL of both the API and the upload server.</summary>
    public string BaseUrl => server.BaseUrl;

    /// <summary>Every call answered.</summary>
    public IReadOnlyCollection<LoopbackCall> Calls => server.Calls;

    /// <summary>The videos submitted, by BV id: the archive sent and the joined bytes.</summary>
    public ConcurrentDictionary<string, (JsonObject Archive, byte[] Bytes)> Videos { get; } = new();

    /// <summary>Starts a fake Bilibili for the given app and account token.</summary>
    public static async Task<FakeBilibili> StartAsync(string clientId = "bili-client", string accessToken = "bili-access-s3cret")
    {
        var fake = new FakeBilibili(clientId, accessToken);
        fake.server = await LoopbackFake.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>Answers the next <paramref name="count"/> part uploads with HTTP 503, keeping none of them.</summary>
    public void FailNextParts(int count)
    {
        lock (faultLock)
        {
            partFailures = count;
        }
    }

    /// <summary>Cuts the connection of the next <paramref name="count"/> part uploads.</summary>
    public void DropNextParts(int count)
    {
        lock (faultLock)
        {
            partDrops = count;
        }
    }

    /// <summary>Refuses the next submission with HTTP 200 and <c>{"code":<paramref name="code"/>,"message":<paramref name="message"/>}</c>.</summary>
    public void RefuseNextSubmit(int code, string message)
    {
        lock (faultLock)
        {
            submitRefusal = (code, message);
        }
    }

    /// <summary>
    /// The server's settings that publish to this fake (<c>Forgeline:Meetings:Videos:Bilibili:…</c>, keys joined with
    /// <paramref name="separator"/>: <c>:</c> for configuration, <c>__</c> for a process's environment).
    /// </summary>
    public Dictionary<string, string?> Settings(string separator = ":")
    {
        var prefix = string.Join(separator, "Forgeline", "Meetings", "Videos", "Bilibili", "");
        return new Dictionary<string, string?>
        {
            [prefix + "ClientId"] = ClientId,
            [prefix + "AccessToken"] = AccessToken,
            [prefix + "Tid"] = "122",
            [prefix + "ApiBaseUrl"] = BaseUrl,
            [prefix + "UploadBaseUrl"] = BaseUrl,
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var uploadToken = request.Query["upload_token"].ToString();
        var signedIn = request.Query["client_id"] == ClientId && request.Query["access_token"] == AccessToken;
        if (request.Method != "POST")
        {
            context.Response.StatusCode = 405;
            return;
        }

        switch (path)
        {
            case "/arcopen/fn/archive/video/init":
                var init = (await JsonNode.ParseAsync(request.Body))?.AsObject();
                if (!signedIn)
                {
                    await AnswerAsync(context, Fail(-101, "access_token invalid"));
                }
                else if (init?["name"]?.GetValue<string>() is not { Length: > 0 } || init["utype"]?.GetValue<string>() is not ("0" or "1"))
                {
                    await AnswerAsync(context, Fail(-400, "name and utype are required"));
                }
                else
                {
                    var token = "utoken-" + Guid.NewGuid().ToString("N");
                    uploads[token] = new ConcurrentDictionary<int, byte[]>();
                    await AnswerAsync(context, Ok(new JsonObject { ["upload_token"] = token }));
                }

                break;
            case "/video/v2/part/upload":
                await PartAsync(context, uploadToken);
                break;
            case "/arcopen/fn/archive/video/complete":
                await AnswerAsync(context, Complete(uploadToken));
                break;
            case "/arcopen/fn/archive/add-by-utoken":
                var archive = (await JsonNode.ParseAsync(request.Body))?.AsObject() ?? [];
                await AnswerAsync(context, signedIn ? Submit(uploadToken, archive) : Fail(-101, "access_token invalid"));
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    private async Task PartAsync(HttpContext context, string uploadToken)
    {
        if (!uploads.TryGetValue(uploadToken, out var parts) || !int.TryParse(context.Request.Query["part_number"], CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            await AnswerAsync(context, Fail(-400, "upload_token or part_number invalid"));
            return;
        }

        bool fail, drop;
        lock (faultLock)
        {
            fail = partFailures > 0;
            partFailures -= fail ? 1 : 0;
            drop = !fail && partDrops > 0;
            partDrops -= drop ? 1 : 0;
        }

        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (fail)
        {
            context.Response.StatusCode = 503;
            return;
        }

        if (drop)
        {
            LoopbackFake.Cut(context);
            return;
        }

        parts[number] = body.ToArray();
        await AnswerAsync(context, new JsonObject { ["code"] = 0, ["message"] = "0" });
    }

    private JsonObject Complete(string uploadToken)
    {
        if (!uploads.TryGetValue(uploadToken, out var parts) || parts.IsEmpty)
        {
            return Fail(-400, "upload_token invalid or no parts uploaded");
        }

        var numbers = parts.Keys.Order().ToList();
        if (numbers[^1] != numbers.Count)
        {
            return Fail(21_020, $"parts missing: have {string.Join(',', numbers)}");
        }

        joined[uploadToken] = numbers.SelectMany(n => parts[n]).ToArray();
        return Ok(null);
    }

    private JsonObject Submit(string uploadToken, JsonObject archive)
    {
        lock (faultLock)
        {
            if (submitRefusal is var (code, message))
            {
                submitRefusal = null;
                return Fail(code, message);
            }
        }

        if (!joined.TryGetValue(uploadToken, out var bytes))
        {
            return Fail(-400, "the upload_token's video is not complete");
        }

        var title = archive["title"]?.GetValue<string>() ?? "";
        if (title.Length is 0 or > 80 || archive["tid"]?.GetValue<int>() is not > 0 || archive["tag"]?.GetValue<string>() is not { Length: > 0 }
            || archive["copyright"]?.GetValue<int>() is not (1 or 2))
        {
            return Fail(-400, "title (1-80 characters), tid, tag and copyright are required");
        }

        var bvid = $"BV1fake{Interlocked.Increment(ref nextVideo):D5}";
        Videos[bvid] = (archive, bytes);
        return Ok(new JsonObject { ["resource_id"] = bvid });
    }

    private static JsonObject Ok(JsonNode? data) => new() { ["code"] = 0, ["message"] = "0", ["ttl"] = 1, ["data"] = data };

    private static JsonObject Fail(int code, string message) => new() { ["code"] = code, ["message"] = message, ["ttl"] = 1 };

    private static async Task AnswerAsync(HttpContext context, JsonNode body)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
