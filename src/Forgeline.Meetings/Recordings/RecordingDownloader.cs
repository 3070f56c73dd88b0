using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Forgeline.Meetings.Recordings;

/// <summary>
/// Downloads a recording file into a partial file, resumably: when the partial file exists the download continues with
/// <c>Range: bytes=N-</c> (a 206 whose <c>Content-Range</c> starts at N is appended; a 200 starts again from 0).
/// Redirects are followed here, not by the handler, so the bearer token goes to the URL's origin only. The finished file
/// is checked against the expected size and SHA-256; a mismatch, a refusal or a file over the limit deletes the partial
/// file and throws a <see cref="RecordingDownloadException"/> that is not retryable, while a network error or a 5xx
/// keeps it and throws a retryable one.
/// </summary>
public sealed class RecordingDownloader : IDisposable
{
    /// <summary>How many redirects one download follows.</summary>
    public const int MaxRedirects = 5;

    private readonly HttpClient http;

    /// <summary>A downloader with its own HTTP handler, which does not follow redirects by itself.</summary>
    public RecordingDownloader()
        : this(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
    {
    }

    /// <summary>A downloader sending through <paramref name="handler"/>, which must not follow redirects by itself.</summary>
    public RecordingDownloader(HttpMessageHandler handler) =>
        http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>
    /// Downloads <paramref name="request"/>'s URL to its partial path, continuing what is there, and checks it;
    /// <paramref name="progress"/> hears the bytes on disk so far.
    /// </summary>
    public async Task<DownloadedRecording> DownloadAsync(RecordingDownload request, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var what = $"the recording at {Shown(request.Url)}";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(request.PartialPath))!);
        var have = File.Exists(request.PartialPath) ? new FileInfo(request.PartialPath).Length : 0;
        if (request.ExpectedSize is { } expected && have > expected)
        {
            File.Delete(request.PartialPath);
            have = 0;
        }

        if (have == 0 || have != request.ExpectedSize)
        {
            using var response = await SendAsync(request, have, what, ct);
            have = await WriteAsync(request, response, have, what, progress, ct);
        }

        return await CheckAsync(request, have, what, ct);
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(RecordingDownload request, long from, string what, CancellationToken ct)
    {
        var uri = request.Url;
        for (var redirects = 0; ; redirects++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, uri);
            if (request.BearerToken is { Length: > 0 } token && SameOrigin(uri, request.Url))
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (from > 0)
            {
                message.Headers.Range = new RangeHeaderValue(from, null);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException e)
            {
                throw new RecordingDownloadException($"could not reach {Shown(uri)} for {what}: {e.Message}; retry later", retryable: true, e);
            }

            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (redirects >= MaxRedirects)
                {
                    throw Refused(request, $"{what} redirected more than {MaxRedirects} times");
                }

                uri = new Uri(uri, location);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            if (status == 416 && from > 0 && response.Content.Headers.ContentRange?.Length == from)
            {
                // The partial file is already the whole file (its size was not known in advance).
                return response;
            }

            using (response)
            {
                if (status == 416 && from > 0)
                {
                    // The partial file does not fit what the server has now: start again next time.
                    throw Refused(request, $"{Shown(uri)} has no bytes after the {from:N0} already downloaded of {what} (416); the partial file was deleted, download again");
                }

                if (status >= 500 || status is 408 or 429)
                {
                    throw new RecordingDownloadException($"{Shown(uri)} failed with {status} for {what}; retry later", retryable: true);
                }

                var hint = status is 401 or 403 ? " (the download token is wrong or has expired: ask the platform for the recording again)" : "";
                throw Refused(request, $"{Shown(uri)} refused {what}: {status}{hint}");
            }
        }
    }

    private static async Task<long> WriteAsync(RecordingDownload request, HttpResponseMessage response, long have, string what, IProgress<long>? progress, CancellationToken ct)
    {
        var append = false;
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return have;
        }

        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != have || (range.Length is { } total && request.ExpectedSize is { } expected && total != expected))
            {
                throw Refused(request, $"{what} answered the request for bytes {have:N0}- with Content-Range '{range}'; the partial file was deleted, download again");
            }

            append = true;
        }

        var length = response.Content.Headers.ContentLength;
        var start = append ? have : 0;
        if (length is { } l && start + l > request.MaxBytes)
        {
            throw Refused(request, $"{what} is {start + l:N0} bytes, more than the limit of {request.MaxBytes:N0}");
        }

        var written = start;
        try
        {
            await using var file = new FileStream(request.PartialPath, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                if (written + read > request.MaxBytes)
                {
                    await file.DisposeAsync();
                    throw Refused(request, $"{what} is more than the limit of {request.MaxBytes:N0} bytes; the download was stopped");
                }

                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                written += read;
                progress?.Report(written);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new RecordingDownloadException(
                $"{what} broke off after {written:N0} bytes: {e.Message}; retry to continue from there", retryable: true, e);
        }

        return written;
    }

    private static async Task<DownloadedRecording> CheckAsync(RecordingDownload request, long size, string what, CancellationToken ct)
    {
        if (request.ExpectedSize is { } expected && size != expected)
        {
            throw Refused(request, $"{what} is {size:N0} bytes, {request.Source} said {expected:N0}; the partial file was deleted, download again");
        }

        string sha;
        await using (var file = new FileStream(request.PartialPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
        }

        if (request.ExpectedSha256 is { Length: > 0 } expectedSha && !string.Equals(sha, expectedSha, StringComparison.OrdinalIgnoreCase))
        {
            throw Refused(request, $"{what} has checksum sha256:{sha}, {request.Source} said sha256:{expectedSha.ToLowerInvariant()}; the partial file was deleted, download again");
        }

        return new DownloadedRecording(request.PartialPath, size, sha);
    }

    private static RecordingDownloadException Refused(RecordingDownload request, string message)
    {
        File.Delete(request.PartialPath);
        return new RecordingDownloadException(message, retryable: false);
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>The URL without its query, which may carry a token.</summary>
    private static string Shown(Uri uri) => uri.GetLeftPart(UriPartial.Path);
}
