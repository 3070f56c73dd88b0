using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Forgeline.Meetings.Platforms.Tencent;

/// <summary>
/// Tencent Meeting's REST API v1 as an enterprise self-built app: every request carries the SecretId, a timestamp, a
/// nonce and their HMAC signature (<see cref="TencentSignature"/>); there is no token. Tencent answers a refusal with
/// 400 or 500 and <c>error_info</c>: a rate limit (429) or a server error is retryable, but an error code that says the
/// request itself is wrong (a bad signature, an unknown meeting, no permission …) is not, whatever the status. No
/// message carries the SecretKey or a signature.
/// </summary>
public sealed class TencentMeetingClient : IMeetingPlatform, IRecordingSource
{
    /// <summary>Tencent's code for a request whose signature does not verify.</summary>
    public const long SignatureFailed = 200003;

    /// <summary>Tencent's code for a meeting it does not know.</summary>
    public const long MeetingNotFound = 9003;

    private const string Platform = "Tencent Meeting";

    // Codes from the REST API's error-code page (cloud.tencent.com/document/product/1095) that a retry cannot fix: bad meeting
    // id, meeting quota, no permission, sensitive subject, bad parameters, unknown or disabled user or company.
    private static readonly HashSet<long> RequestErrors =
        [SignatureFailed, MeetingNotFound, 9002, 9008, 9042, 9093, 9099, 9100, 9101, 9102, 10001, 20001, 20003, 50000, 50001];

    private readonly HttpClient http;
    private readonly TencentMeetingOptions options;
    private readonly TimeProvider time;

    /// <summary>A client sending through <paramref name="http"/> as the app <paramref name="options"/> describes.</summary>
    public TencentMeetingClient(HttpClient http, TencentMeetingOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.options = options;
        this.time = time;
    }

    /// <inheritdoc />
    public async Task<PlatformMeeting> CreateAsync(PlatformMeetingRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.Serialize(TencentMeetingBody.From(request, options.UserId), TencentJson.Default.TencentMeetingBody);
        using var response = await SendAsync(HttpMethod.Post, "/v1/meetings", body, "create the meeting", ct);
        var list = await response.Content.ReadFromJsonAsync(TencentJson.Default.TencentMeetingList, ct);
        var meeting = list?.MeetingInfoList is [var first, ..] ? first
            : throw new MeetingPlatformException("Tencent Meeting answered the create without a meeting", retryable: true);
        return new PlatformMeeting(meeting.MeetingId, meeting.JoinUrl ?? "", meeting.Password ?? "", null);
    }

    /// <inheritdoc />
    public async Task UpdateAsync(string id, PlatformMeetingRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.Serialize(TencentMeetingBody.From(request, options.UserId), TencentJson.Default.TencentMeetingBody);
        using var response = await SendAsync(HttpMethod.Put, $"/v1/meetings/{Uri.EscapeDataString(id)}", body, $"change meeting {id}", ct);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        // reason_code 1 is the only documented reason for an API cancel.
        var body = JsonSerializer.Serialize(new TencentCancelBody(options.UserId, TencentMeetingBody.InstancePc, 1), TencentJson.Default.TencentCancelBody);
        using var response = await SendAsync(HttpMethod.Post, $"/v1/meetings/{Uri.EscapeDataString(id)}/cancel", body, $"cancel meeting {id}", ct, goneIsSuccess: true);
    }

    /// <summary>
    /// The download address of the recording file <paramref name="fileId"/>, from "查询单个录制详情"
    /// (<c>GET /v1/addresses/{record_file_id}?operator_id=…&amp;operator_id_type=1</c>, the booking user as operator).
    /// The answer gives no file size; its address expires within minutes (five, says the current page; six hours, an
    /// older one), so it is asked for before each download.
    /// </summary>
    public async Task<RecordingLocation> LocateAsync(string fileId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileId);
        var path = $"/v1/addresses/{Uri.EscapeDataString(fileId)}?operator_id={Uri.EscapeDataString(options.UserId)}&operator_id_type=1";
        using var response = await SendAsync(HttpMethod.Get, path, "", $"give the address of recording file {fileId}", ct);
        var address = await response.Content.ReadFromJsonAsync(TencentJson.Default.TencentRecordAddress, ct);
        return address?.DownloadAddress is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? new RecordingLocation(uri, null)
            : throw new MeetingPlatformException($"{Platform} gave no download address for recording file {fileId} (is the app allowed to view the company's recordings?)", retryable: false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string body, string what, CancellationToken ct, bool goneIsSuccess = false)
    {
        var uri = new Uri(options.ApiBaseUrl.TrimEnd('/') + path);
        using var message = new HttpRequestMessage(method, uri);
        message.Content = new StringContent(body, Encoding.UTF8);
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var timestamp = TencentSignature.Timestamp(time);
        var nonce = TencentSignature.Nonce();
        message.Headers.Add("X-TC-Key", options.SecretId);
        message.Headers.Add("X-TC-Timestamp", timestamp);
        message.Headers.Add("X-TC-Nonce", nonce);
        message.Headers.Add("X-TC-Signature", TencentSignature.Sign(options.SecretKey, method.Method, options.SecretId, nonce, timestamp, uri.PathAndQuery, body));
        message.Headers.Add("AppId", options.AppId);
        if (options.SdkId.Length > 0)
        {
            message.Headers.Add("SdkId", options.SdkId);
        }

        message.Headers.Add("X-TC-Registered", "1");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, ct);
        }
        catch (HttpRequestException e)
        {
            throw PlatformResponses.Unreachable(Platform, what, e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var error = Error(await response.Content.ReadAsStringAsync(ct));
        if (goneIsSuccess && (response.StatusCode == HttpStatusCode.NotFound || error?.ErrorCode == MeetingNotFound))
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (error?.ErrorCode == SignatureFailed)
            {
                throw PlatformResponses.Refused($"{Platform} refused the app's signature (check the Tencent Meeting SecretId, SecretKey, AppId and SdkId settings)", status, $": {Message(error)}");
            }

            if (response.StatusCode != HttpStatusCode.TooManyRequests && error?.ErrorCode is { } code && RequestErrors.Contains(code))
            {
                throw PlatformResponses.Refused($"{Platform} refused to {what}", status, $": {Message(error)}");
            }

            throw await PlatformResponses.FailureAsync(response, Platform, $"{Platform} refused to {what}", time, text => Error(text) is { } e ? Message(e) : null, ct);
        }
    }

    private static TencentErrorInfo? Error(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, TencentJson.Default.TencentError)?.ErrorInfo;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string Message(TencentErrorInfo error)
    {
        var text = PlatformResponses.Scrub(error.Message ?? "no message", options.SecretKey);
        return error.ErrorCode is { } code ? $"{text} (error {code})" : text;
    }
}
