using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Forgeline.Meetings.Videos.Bilibili;

/// <summary>
/// Publishes to Bilibili through the open platform's video submission (视频稿件投递) calls, with the app's
/// <c>client_id</c> and the account's <c>access_token</c> in the query: <c>POST /arcopen/fn/archive/video/init</c>
/// (the file's name, <c>utype</c> 0 for a chunked upload) gives an <c>upload_token</c>; the file goes in parts to
/// <c>POST {upload server}/video/v2/part/upload?upload_token=…&amp;part_number=N</c> (from 1); <c>POST
/// /arcopen/fn/archive/video/complete?upload_token=…</c> joins them; <c>POST /arcopen/fn/archive/add-by-utoken</c> with
/// title, tid, tag, desc and copyright submits the video and answers its BV id (<c>resource_id</c>). Bilibili answers
/// errors with HTTP 200 and <c>{"code":non-zero,"message":…}</c>; its server-side codes (-500, -502, -503, -504) and HTTP
/// 5xx are retryable, others not. An interrupted upload is kept (token and parts sent) under the upload's idempotency
/// key, so publishing again sends only the missing parts.
/// </summary>
// The open platform's pages show the part upload with only upload_token in the query; part_number (1-based) is in its
// parameter table, and the body is the part's raw bytes. Its limits for title and description are not stated there:
// 80 characters and 2,000 characters are the main site's, used here.
public sealed class BilibiliClient : IVideoPlatform
{
    /// <summary>The longest title Bilibili takes, in characters.</summary>
    public const int TitleLimit = 80;

    /// <summary>The longest description used, in characters.</summary>
    public const int DescriptionLimit = 2000;

    /// <summary>The most tags a video takes.</summary>
    public const int TagCountLimit = 12;

    private readonly HttpClient http;
    private readonly BilibiliOptions options;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, Progress> uploads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PublishedVideo> published = new(StringComparer.Ordinal);

    /// <summary>A client sending through <paramref name="http"/> as <paramref name="options"/> describe.</summary>
    public BilibiliClient(HttpClient http, BilibiliOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.options = options;
        this.time = time;
    }

    /// <inheritdoc />
    public string Name => "bilibili";

    /// <summary>The Bilibili link of the video <paramref name="bvid"/>.</summary>
    public static Uri VideoUrl(string bvid) => new($"https://www.bilibili.com/video/{Uri.EscapeDataString(bvid)}");

    /// <inheritdoc />
    public async Task<PublishedVideo> PublishAsync(VideoUpload upload, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (published.TryGetValue(upload.IdempotencyKey, out var done))
        {
            return done;
        }

        upload.CheckFile();

        var body = Archive(upload);
        var progress = uploads.GetOrAdd(upload.IdempotencyKey, _ => new Progress());
        if (progress.UploadToken is null)
        {
            var init = await CallAsync(Api("/arcopen/fn/archive/video/init", null), JsonContent.Create(new JsonObject { ["name"] = Path.GetFileName(upload.FilePath), ["utype"] = "0" }), "start the upload", ct);
            progress.UploadToken = Text(init?["upload_token"]) ?? throw new VideoPlatformException("Bilibili started the upload without an upload_token", retryable: true);
        }

        var parts = (int)((upload.Size + options.ChunkSize - 1) / options.ChunkSize);
        var buffer = new byte[Math.Min(options.ChunkSize, upload.Size)];
        while (progress.PartsSent < parts)
        {
            var number = progress.PartsSent + 1;
            var from = (long)progress.PartsSent * options.ChunkSize;
            var count = (int)Math.Min(options.ChunkSize, upload.Size - from);
            await ReadAsync(upload.FilePath, from, buffer.AsMemory(0, count), ct);
            var uri = new Uri($"{options.UploadBaseUrl.TrimEnd('/')}/video/v2/part/upload?upload_token={Uri.EscapeDataString(progress.UploadToken)}&part_number={number}");
            await WithRetriesAsync(() =>
            {
                var content = new ReadOnlyMemoryContent(buffer.AsMemory(0, count));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return CallAsync(uri, content, $"upload part {number} of {parts}", ct);
            }, ct);
            progress.PartsSent = number;
        }

        if (!progress.Completed)
        {
            await WithRetriesAsync(() => CallAsync(Api("/arcopen/fn/archive/video/complete", progress.UploadToken), null, "join the uploaded parts", ct), ct);
            progress.Completed = true;
        }

        var submitted = await CallAsync(Api("/arcopen/fn/archive/add-by-utoken", progress.UploadToken), JsonContent.Create(body), "submit the video", ct);
        var bvid = Text(submitted?["resource_id"]) ?? throw new VideoPlatformException("Bilibili took the video without answering its resource_id", retryable: false);
        var video = new PublishedVideo(bvid, VideoUrl(bvid));
        published[upload.IdempotencyKey] = video;
        uploads.TryRemove(upload.IdempotencyKey, out _);
        return video;
    }

    private JsonObject Archive(VideoUpload upload)
    {
        var title = upload.Title.Trim();
        if (title.Length == 0)
        {
            throw new VideoPlatformException($"the video for {upload.IdempotencyKey} has no title; Bilibili needs one");
        }

        var tags = upload.Tags.Select(t => t.Replace(',', ' ').Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Take(TagCountLimit).ToList();
        if (tags.Count == 0)
        {
            throw new VideoPlatformException($"the video for {upload.IdempotencyKey} has no tags; Bilibili needs at least one");
        }

        return new JsonObject
        {
            ["title"] = VideoText.Shorten(title, TitleLimit),
            ["tid"] = options.Tid,
            ["tag"] = string.Join(',', tags),
            ["desc"] = VideoText.Shorten(upload.Description, DescriptionLimit),
            ["copyright"] = options.Copyright,
            ["no_reprint"] = 1,
        };
    }

    private Uri Api(string path, string? uploadToken)
    {
        var query = $"client_id={Uri.EscapeDataString(options.ClientId)}&access_token={Uri.EscapeDataString(options.AccessToken)}";
        query += uploadToken is null ? "" : $"&upload_token={Uri.EscapeDataString(uploadToken)}";
        return new Uri($"{options.ApiBaseUrl.TrimEnd('/')}{path}?{query}");
    }

    private async Task WithRetriesAsync(Func<Task<JsonNode?>> call, CancellationToken ct)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                await call();
                return;
            }
            catch (VideoPlatformException e) when (e.Retryable && failures < options.MaxChunkRetries)
            {
                await Task.Delay(options.RetryDelay * (1 << Math.Min(failures, 10)), time, ct);
            }
        }
    }

    /// <summary>Posts <paramref name="content"/> and returns the answer's <c>data</c>; throws on an HTTP error or a non-zero <c>code</c>.</summary>
    private async Task<JsonNode?> CallAsync(Uri uri, HttpContent? content, string what, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content ?? JsonContent.Create(new JsonObject()) };
        JsonObject? answer;
        int status;
        try
        {
            using var response = await http.SendAsync(message, ct);
            status = (int)response.StatusCode;
            try
            {
                answer = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
            }
            catch (JsonException)
            {
                answer = null;
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            throw new VideoPlatformException($"could not reach Bilibili to {what}: {Scrub(e.Message)}", retryable: true, e);
        }

        var code = answer?["code"]?.GetValueKind() == JsonValueKind.Number ? answer["code"]!.GetValue<long>() : (long?)null;
        var said = Scrub(Text(answer?["message"]) ?? "");
        if (status >= 500 || code is -500 or -502 or -503 or -504)
        {
            return Throw($"Bilibili failed to {what} ({status}, code {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}: {said}); retry later", retryable: true);
        }

        if (status is < 200 or >= 300 || code is null)
        {
            return Throw($"Bilibili refused to {what}: HTTP {status} {said}".TrimEnd(), retryable: status is 408 or 429);
        }

        return code == 0
            ? answer!["data"]
            : Throw($"Bilibili refused to {what}: code {code.Value.ToString(CultureInfo.InvariantCulture)}: {said}", retryable: false);
    }

    private static JsonNode? Throw(string message, bool retryable) => throw new VideoPlatformException(message, retryable);

    private static async Task ReadAsync(string path, long from, Memory<byte> into, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        file.Position = from;
        await file.ReadExactlyAsync(into, ct);
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private string Scrub(string message) =>
        string.IsNullOrEmpty(options.AccessToken) ? message : message.Replace(options.AccessToken, "***", StringComparison.Ordinal);

    /// <summary>How far an upload got: its token, the parts Bilibili took, whether they were joined.</summary>
    private sealed class Progress
    {
        public string? UploadToken { get; set; }

        public int PartsSent { get; set; }

        public bool Completed { get; set; }
    }
}
