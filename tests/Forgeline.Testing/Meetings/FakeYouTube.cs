using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Forgeline.Testing.Meetings;

/// <summary>
/// A fake YouTube: Google's OAuth token endpoint (<c>POST /token</c>, <c>grant_type=refresh_token</c>) and the Data API
/// v3 resumable upload (<c>POST /upload/youtube/v3/videos?uploadType=resumable</c> opens a session, answered 200 with
/// its URI in <c>Location</c>; <c>PUT</c>s of chunks, multiples of 256 KiB but the last, with <c>Content-Range</c> are
/// answered 308 with <c>Range: bytes=0-N</c> until the last, 201 with the video; <c>bytes */total</c> asks what the
/// session has). It checks the video resource as YouTube documents it (title 1–100 characters without '&lt;' or
/// '&gt;', description at most 5,000 bytes, privacy status), keeps the bytes received for each video, can cut the
/// connection in the middle of an upload (keeping what arrived), answer 503 to chunks, and refuse with quotaExceeded.
/// </summary>
public sealed class FakeYouTube : IAsyncDisposable
{
    private const string UploadPath = "/upload/youtube/v3/videos";
    private readonly ConcurrentDictionary<string, bool> tokens = new();
    private readonly ConcurrentDictionary<string, Session> sessions = new();
    private readonly Lock faultLock = new();
    private LoopbackFake server = null!;
    private long? dropAt;
    private int chunkFailures;
    private int nextVideo;

    private FakeYouTube(string clientId, string clientSecret, string refreshToken)
    {
        ClientId = clientId;
        ClientSecret = clientSecret;
        RefreshToken = refreshToken;
    }

    /// <summary>The OAuth client id accepted.</summary>
    public string ClientId { get; }

    /// <summary>The OAuth client secret accepted.</summary>
    public string ClientSecret { get; }

    /// <summary>The refresh token accepted.</summary>
    public string RefreshToken { get; }

    /// <summary>The token endpoint.</summary>
    public string TokenUrl => server.Url("/token").ToString();

    /// <summary>The upload endpoint.</summary>
    public string UploadUrl => server.Url(UploadPath).ToString();

    /// <summary>Whether starting an upload is refused with 403 quotaExceeded.</summary>
    public bool QuotaExceeded { get; set; }

    /// <summary>Every call answered.</summary>
    public IReadOnlyCollection<LoopbackCall> Calls => server.Calls;

    /// <summary>The videos uploaded, by id: the resource sent and the bytes received.</summary>
    public ConcurrentDictionary<string, (JsonObject Resource, byte[] Bytes)> Videos { get; } = new();

    /// <summary>How many upload sessions were opened.</summary>
    public int SessionsOpened => Calls.Count(c => c.Method == "POST" && c.Path == UploadPath && c.Status == 200);

    /// <summary>Starts a fake YouTube for the given OAuth client and refresh token.</summary>
    public static async Task<FakeYouTube> StartAsync(string clientId = "yt-client.apps.googleusercontent.com", string clientSecret = "yt-s3cret", string refreshToken = "1//yt-refresh")
    {
        var fake = new FakeYouTube(clientId, clientSecret, refreshToken);
        fake.server = await LoopbackFake.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>Cuts the connection once a session has received <paramref name="bytes"/> in all, keeping them.</summary>
    public void DropConnectionAt(long bytes)
    {
        lock (faultLock)
        {
            dropAt = bytes;
        }
    }

    /// <summary>Answers the next <paramref name="count"/> chunks with 503, keeping none of their bytes.</summary>
    public void FailNextChunks(int count)
    {
        lock (faultLock)
        {
            chunkFailures = count;
        }
    }

    /// <summary>
    /// The server's settings that publish to this fake (<c>Forgeline:Meetings:Videos:YouTube:…</c>, keys joined with
    /// <paramref name="separator"/>: <c>:</c> for configuration, <c>__</c> for a process's environment), 256 KiB chunks.
    /// </summary>
    public Dictionary<string, string?> Settings(string separator = ":")
    {
        var prefix = string.Join(separator, "Forgeline", "Meetings", "Videos", "YouTube", "");
        return new Dictionary<string, string?>
        {
            [prefix + "ClientId"] = ClientId,
            [prefix + "ClientSecret"] = ClientSecret,
            [prefix + "RefreshToken"] = RefreshToken,
            [prefix + "TokenUrl"] = TokenUrl,
            [prefix + "UploadUrl"] = UploadUrl,
            [prefix + "ChunkSize"] = "262144",
        };
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path == "/token" && request.Method == "POST")
        {
            var form = await request.ReadFormAsync();
            if (form["grant_type"] != "refresh_token" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret || form["refresh_token"] != RefreshToken)
            {
                await AnswerAsync(context, 400, new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "Token has been expired or revoked." });
                return;
            }

            var token = "ya29.fake-" + Guid.NewGuid().ToString("N");
            tokens[token] = true;
            await AnswerAsync(context, 200, new JsonObject { ["access_token"] = token, ["expires_in"] = 3599, ["token_type"] = "Bearer" });
            return;
        }

        var bearer = request.Headers.Authorization.ToString();
        if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal) || !tokens.ContainsKey(bearer["Bearer ".Length..]))
        {
            await AnswerAsync(context, 401, Error(401, "authError", "Request had invalid authentication credentials."));
            return;
        }

        if (request.Path == UploadPath && request.Method == "POST" && request.Query["uploadType"] == "resumable")
        {
            await StartAsync(context);
        }
        else if (request.Path == UploadPath && request.Method == "PUT" && sessions.TryGetValue(request.Query["upload_id"].ToString(), out var session))
        {
            await ChunkAsync(context, session);
        }
        else
        {
            await AnswerAsync(context, 404, Error(404, "notFound", "Not Found"));
        }
    }

    private async Task StartAsync(HttpContext context)
    {
        if (QuotaExceeded)
        {
            await AnswerAsync(context, 403, Error(403, "quotaExceeded", "The request cannot be completed because you have exceeded your <a href=\"/youtube/v3/getting-started#quota\">quota</a>."));
            return;
        }

        var resource = (await JsonNode.ParseAsync(context.Request.Body))?.AsObject();
        var title = resource?["snippet"]?["title"]?.GetValue<string>() ?? "";
        var description = resource?["snippet"]?["description"]?.GetValue<string>() ?? "";
        var privacy = resource?["status"]?["privacyStatus"]?.GetValue<string>();
        var problem = title.Trim().Length == 0 ? ("invalidTitle", "The request metadata specifies an invalid or empty video title.")
            : new StringInfo(title).LengthInTextElements > 100 || title.Contains('<', StringComparison.Ordinal) || title.Contains('>', StringComparison.Ordinal) ? ("invalidTitle", "The request metadata specifies an invalid video title.")
            : Encoding.UTF8.GetByteCount(description) > 5000 || description.Contains('<', StringComparison.Ordinal) ? ("invalidDescription", "The request metadata specifies an invalid video description.")
            : privacy is not ("public" or "unlisted" or "private") ? ("invalidVideoMetadata", "The request metadata is invalid.")
            : !long.TryParse(context.Request.Headers["X-Upload-Content-Length"], CultureInfo.InvariantCulture, out _) ? ("badContent", "X-Upload-Content-Length is missing.")
            : !context.Request.Headers["X-Upload-Content-Type"].ToString().StartsWith("video/", StringComparison.Ordinal) ? ("badContent", "The video's MIME type is not supported.")
            : default((string, string)?);
        if (problem is var (reason, message))
        {
            await AnswerAsync(context, 400, Error(400, reason, message));
            return;
        }

        var id = Guid.NewGuid().ToString("N");
        sessions[id] = new Session(resource!, long.Parse(context.Request.Headers["X-Upload-Content-Length"]!, CultureInfo.InvariantCulture));
        context.Response.Headers.Location = server.Url($"{UploadPath}?uploadType=resumable&upload_id={id}").ToString();
        context.Response.StatusCode = 200;
    }

    private async Task ChunkAsync(HttpContext context, Session session)
    {
        var range = context.Request.Headers.ContentRange.ToString();
        var total = session.Total;
        var status = range == $"bytes */{total}";
        long first = 0;
        if (!status)
        {
            var parts = range.StartsWith("bytes ", StringComparison.Ordinal) ? range["bytes ".Length..].Split('-', '/') : [];
            if (parts.Length != 3 || parts[2] != total.ToString(CultureInfo.InvariantCulture) || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out first) || first > session.Received.Length)
            {
                await AnswerAsync(context, 400, Error(400, "badRequest", $"Content-Range '{range}' does not continue the {session.Received.Length} bytes received of {total}."));
                return;
            }

            var length = context.Request.ContentLength ?? 0;
            if (first + length < total && length % (256 * 1024) != 0)
            {
                await AnswerAsync(context, 400, Error(400, "badRequest", "A chunk that is not the last must be a multiple of 256 KiB."));
                return;
            }

            bool fail;
            lock (faultLock)
            {
                fail = chunkFailures > 0;
                chunkFailures -= fail ? 1 : 0;
            }

            if (fail)
            {
                await context.Request.Body.CopyToAsync(Stream.Null);
                await AnswerAsync(context, 503, Error(503, "backendError", "Backend Error"));
                return;
            }

            if (!await ReceiveAsync(context, session, first))
            {
                return;
            }
        }

        if (session.Received.Length == total && session.Video is null)
        {
            var id = $"fakeVid{Interlocked.Increment(ref nextVideo):D4}";
            var video = session.Resource.DeepClone().AsObject();
            video["kind"] = "youtube#video";
            video["id"] = id;
            session.Video = video;
            Videos[id] = (session.Resource, session.Received.ToArray());
        }

        if (session.Video is { } done)
        {
            await AnswerAsync(context, 201, done.DeepClone());
            return;
        }

        context.Response.StatusCode = 308;
        if (session.Received.Length > 0)
        {
            context.Response.Headers["Range"] = $"bytes=0-{session.Received.Length - 1}";
        }
    }

    /// <summary>Appends the chunk's bytes past what the session has; false when the connection was cut on purpose.</summary>
    private async Task<bool> ReceiveAsync(HttpContext context, Session session, long first)
    {
        long? drop;
        lock (faultLock)
        {
            drop = dropAt;
        }

        var buffer = new byte[64 * 1024];
        var position = first;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
        {
            // Bytes before what the session has are a repeat; keep only the new ones, up to the drop point.
            var skip = (int)Math.Clamp(session.Received.Length - position, 0, read);
            var keep = read - skip;
            if (drop is { } at)
            {
                keep = (int)Math.Min(keep, Math.Max(0, at - session.Received.Length));
            }

            session.Received.Write(buffer, skip, keep);
            position += read;
            if (drop is { } cut && session.Received.Length >= cut)
            {
                lock (faultLock)
                {
                    dropAt = null;
                }

                LoopbackFake.Cut(context);
                return false;
            }
        }

        return true;
    }

    private static JsonObject Error(int code, string reason, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = code == 403 ? "youtube.quota" : "global", ["reason"] = reason }),
        },
    };

    private static async Task AnswerAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private sealed class Session(JsonObject resource, long total)
    {
        public JsonObject Resource { get; } = resource;

        public long Total { get; } = total;

        public MemoryStream Received { get; } = new();

        public JsonObject? Video { get; set; }
    }
}
