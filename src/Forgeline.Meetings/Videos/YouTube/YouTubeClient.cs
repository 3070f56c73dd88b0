using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Forgeline.Meetings.Videos.YouTube;

/// <summary>
/// Publishes to YouTube with the Data API v3's resumable upload protocol: a <c>POST …/videos?uploadType=resumable</c>
/// with the video resource opens a session (its URI comes back in <c>Location</c>), the file goes in <c>PUT</c>s of
/// <see cref="YouTubeOptions.ChunkSize"/> bytes with <c>Content-Range: bytes a-b/total</c>, each answered 308 with the
/// <c>Range</c> received so far until the last is answered 200/201 with the video. After a broken connection or a 5xx
/// the client asks the session what it has (<c>Content-Range: bytes */total</c>) and continues from there; when it gives
/// up, the session is kept under the upload's idempotency key, so publishing again continues it. A used-up quota or
/// any other refusal is not retryable and carries Google's message.
/// </summary>
public sealed partial class YouTubeClient : IVideoPlatform, IDisposable
{
    private const string VideoType = "video/mp4";
    private readonly HttpClient http;
    private readonly YouTubeOptions options;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, Uri> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PublishedVideo> published = new(StringComparer.Ordinal);
    private readonly CachedToken token;

    /// <summary>A client sending through <paramref name="http"/> as <paramref name="options"/> describe.</summary>
    public YouTubeClient(HttpClient http, YouTubeOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChunkSize <= 0 || options.ChunkSize % YouTubeOptions.ChunkUnit != 0)
        {
            throw new ArgumentException($"the chunk size {options.ChunkSize} is not a multiple of {YouTubeOptions.ChunkUnit}", nameof(options));
        }

        this.http = http;
        this.options = options;
        this.time = time;
        token = new CachedToken(time);
    }

    /// <inheritdoc />
    public string Name => "youtube";

    /// <summary>The YouTube link of the video <paramref name="id"/>.</summary>
    public static Uri WatchUrl(string id) => new($"https://www.youtube.com/watch?v={Uri.EscapeDataString(id)}");

    /// <inheritdoc />
    public async Task<PublishedVideo> PublishAsync(VideoUpload upload, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (published.TryGetValue(upload.IdempotencyKey, out var done))
        {
            return done;
        }

        upload.CheckFile();

        var resumed = sessions.TryGetValue(upload.IdempotencyKey, out var session);
        if (session is null)
        {
            session = await StartAsync(upload, ct);
            sessions[upload.IdempotencyKey] = session;
        }

        var video = await UploadAsync(session, upload, resumed, ct);
        published[upload.IdempotencyKey] = video;
        sessions.TryRemove(upload.IdempotencyKey, out _);
        return video;
    }

    /// <inheritdoc />
    public void Dispose() => token.Dispose();

    private async Task<Uri> StartAsync(VideoUpload upload, CancellationToken ct)
    {
        var metadata = YouTubeMetadata.Video(upload, options);
        var uri = new Uri($"{options.UploadUrl}?uploadType=resumable&part=snippet,status");
        for (var attempt = 0; ; attempt++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, uri);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(refresh: attempt > 0, ct));
            message.Headers.Add("X-Upload-Content-Length", upload.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            message.Headers.Add("X-Upload-Content-Type", VideoType);
            message.Content = JsonContent.Create(metadata);
            using var response = await SendAsync(message, "start the upload", ct);
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(response, "YouTube refused to start the upload", ct);
            }

            return response.Headers.Location is { } location
                ? new Uri(uri, location)
                : throw new VideoPlatformException("YouTube started the upload without a session URI (Location)", retryable: true);
        }
    }

    private async Task<PublishedVideo> UploadAsync(Uri session, VideoUpload upload, bool resumed, CancellationToken ct)
    {
        long? offset = resumed ? null : 0;
        long best = 0;
        var failures = 0;
        var buffer = new byte[Math.Min(options.ChunkSize, upload.Size)];
        while (true)
        {
            using var message = new HttpRequestMessage(HttpMethod.Put, session);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(refresh: false, ct));
            if (offset is { } from)
            {
                var count = (int)Math.Min(options.ChunkSize, upload.Size - from);
                await ReadAsync(upload.FilePath, from, buffer.AsMemory(0, count), ct);
                message.Content = new ReadOnlyMemoryContent(buffer.AsMemory(0, count));
                message.Content.Headers.ContentType = new MediaTypeHeaderValue(VideoType);
                message.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, from + count - 1, upload.Size);
            }
            else
            {
                message.Content = new ByteArrayContent([]);
                message.Content.Headers.ContentRange = new ContentRangeHeaderValue(upload.Size);
            }

            string problem;
            try
            {
                using var response = await http.SendAsync(message, ct);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    var video = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
                    return video?["id"]?.GetValue<string>() is { Length: > 0 } id
                        ? new PublishedVideo(id, WatchUrl(id))
                        : throw new VideoPlatformException("YouTube finished the upload without the video's id", retryable: false);
                }

                if (status == 308)
                {
                    offset = Received(response);
                    if (offset > best)
                    {
                        best = offset.Value;
                        failures = 0;
                    }

                    continue;
                }

                if (status is 404 or 410)
                {
                    sessions.TryRemove(upload.IdempotencyKey, out _);
                    throw new VideoPlatformException($"YouTube's upload session has expired ({status}); publishing again starts a new one", retryable: true);
                }

                if (status == 401)
                {
                    await TokenAsync(refresh: true, ct);
                }
                else if (status < 500)
                {
                    throw await FailureAsync(response, "YouTube refused a part of the upload", ct);
                }

                problem = $"YouTube answered {status}";
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                problem = $"the connection broke ({e.Message})";
            }

            failures++;
            if (failures > options.MaxChunkRetries)
            {
                throw new VideoPlatformException(
                    $"the upload to YouTube stopped after {best:N0} of {upload.Size:N0} bytes: {problem}; publishing again continues it", retryable: true);
            }

            await Task.Delay(options.RetryDelay * (1 << Math.Min(failures - 1, 10)), time, ct);
            offset = null;
        }
    }

    /// <summary>The bytes the session has: the end of <c>Range: bytes=0-N</c> plus one, or 0 without it.</summary>
    private static long Received(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Range", out var values))
        {
            return 0;
        }

        var text = values.First();
        var dash = text.LastIndexOf('-');
        return dash >= 0 && long.TryParse(text.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture, out var last)
            ? last + 1
            : throw new VideoPlatformException($"YouTube answered the upload with Range '{text}', which is not bytes=0-N", retryable: true);
    }

    private static async Task ReadAsync(string path, long from, Memory<byte> into, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        file.Position = from;
        await file.ReadExactlyAsync(into, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, string what, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(message, ct);
        }
        catch (HttpRequestException e)
        {
            throw new VideoPlatformException($"could not reach YouTube to {what}: {e.Message}", retryable: true, e);
        }
    }
}
