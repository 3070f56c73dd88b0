using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Forgeline.Meetings.Platforms.WeLink;

/// <summary>
/// Huawei Cloud Meeting's REST API with App ID authentication: the access token comes from
/// <c>POST /v2/usg/acs/auth/appauth</c>, whose <c>Authorization</c> header is
/// <c>HMAC-SHA256 signature=HexEncode(HMAC-SHA256(appId:userId:expireTime:nonce, appKey)),access=base64(appId)</c>
/// (with <c>appId:corpId:userId:…</c> for a service provider's app), as the "执行App ID鉴权" page of
/// support.huaweicloud.com/api-meeting documents it. The token goes in <c>X-Access-Token</c>, is kept until shortly
/// before it expires and fetched again once when Huawei answers 401. 429 and 5xx are retryable; any other refusal
/// carries Huawei's <c>error_code</c> and <c>error_msg</c>. No message carries the app key or a token.
/// </summary>
public sealed class WeLinkClient : IMeetingPlatform, IDisposable
{
    /// <summary>How long before its expiry a token is replaced.</summary>
    public static readonly TimeSpan TokenMargin = CachedToken.Margin;

    /// <summary>How long an App ID signature stays valid (its <c>expireTime</c>).</summary>
    public static readonly TimeSpan SignatureLifetime = TimeSpan.FromMinutes(10);

    private const string Platform = "WeLink";
    private const string Conferences = "/v1/mmc/management/conferences";

    private readonly HttpClient http;
    private readonly WeLinkOptions options;
    private readonly TimeProvider time;
    private readonly CachedToken token;

    /// <summary>A client sending through <paramref name="http"/> as the app <paramref name="options"/> describes.</summary>
    public WeLinkClient(HttpClient http, WeLinkOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.options = options;
        this.time = time;
        token = new CachedToken(time);
    }

    /// <inheritdoc />
    public async Task<PlatformMeeting> CreateAsync(PlatformMeetingRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await SendAsync(HttpMethod.Post, Conferences, WeLinkConferenceBody.From(request, options), "create the meeting", ct);
        var answer = await response.Content.ReadFromJsonAsync(WeLinkJson.Default.ListWeLinkConference, ct);
        var conference = answer is [var first, ..] ? first
            : throw new MeetingPlatformException("WeLink answered the create without a conference", retryable: true);
        var passcode = conference.PasswordEntry?.FirstOrDefault(p => p.ConferenceRole == "general")?.Password ?? "";
        return new PlatformMeeting(conference.ConferenceId, conference.GuestJoinUri ?? "", passcode, conference.ChairJoinUri);
    }

    /// <inheritdoc />
    public async Task UpdateAsync(string id, PlatformMeetingRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await SendAsync(HttpMethod.Put, $"{Conferences}?conferenceID={Uri.EscapeDataString(id)}", WeLinkConferenceBody.From(request, options), $"change meeting {id}", ct);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"{Conferences}?conferenceID={Uri.EscapeDataString(id)}", null, $"delete meeting {id}", ct, goneIsSuccess: true);
    }

    /// <inheritdoc />
    public void Dispose() => token.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, WeLinkConferenceBody? body, string what, CancellationToken ct, bool goneIsSuccess = false)
    {
        var uri = new Uri(options.ApiBaseUrl.TrimEnd('/') + pathAndQuery);
        for (var attempt = 0; ; attempt++)
        {
            var accessToken = await TokenAsync(refresh: attempt > 0, ct);
            using var message = new HttpRequestMessage(method, uri);
            message.Headers.Add("X-Access-Token", accessToken);
            if (body is not null)
            {
                message.Content = JsonContent.Create(body, WeLinkJson.Default.WeLinkConferenceBody);
            }

            var response = await SendAsync(message, what, ct);
            if (response.IsSuccessStatusCode || (goneIsSuccess && response.StatusCode == HttpStatusCode.NotFound))
            {
                return response;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
                {
                    continue;
                }

                throw await PlatformResponses.FailureAsync(response, Platform, $"WeLink refused to {what}", time, Message, ct);
            }
        }
    }

    private Task<string> TokenAsync(bool refresh, CancellationToken ct) => token.GetAsync(refresh, FetchTokenAsync, ct);

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(CancellationToken ct)
    {
        var expireTime = (time.GetUtcNow() + SignatureLifetime).ToUnixTimeSeconds();
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(options.ApiBaseUrl.TrimEnd('/') + "/v2/usg/acs/auth/appauth"));
        message.Headers.TryAddWithoutValidation("Authorization", $"HMAC-SHA256 signature={Signature(expireTime, nonce)},access={Convert.ToBase64String(Encoding.UTF8.GetBytes(options.AppId))}");
        message.Headers.Add("X-Token-Type", "LongTicket");
        var corpId = options.CorpId.Length > 0 ? options.CorpId : null;
        message.Content = JsonContent.Create(new WeLinkAppAuth(options.AppId, 72, corpId, expireTime, nonce, options.UserId), WeLinkJson.Default.WeLinkAppAuth);
        using var response = await SendAsync(message, "authenticate the app", ct);
        if (!response.IsSuccessStatusCode)
        {
            throw await PlatformResponses.FailureAsync(
                response, Platform, "WeLink refused the app's credentials (check the WeLink AppId, AppKey, UserId and CorpId settings)", time, Message, ct);
        }

        var issued = await response.Content.ReadFromJsonAsync(WeLinkJson.Default.WeLinkToken, ct);
        if (issued is null || string.IsNullOrEmpty(issued.AccessToken))
        {
            throw new MeetingPlatformException("WeLink's App ID authentication answered without an access token", retryable: true);
        }

        return (issued.AccessToken, TimeSpan.FromSeconds(issued.ValidPeriod));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, string what, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(message, ct);
        }
        catch (HttpRequestException e)
        {
            throw PlatformResponses.Unreachable(Platform, what, e);
        }
    }

    private string Signature(long expireTime, string nonce)
    {
        var who = options.CorpId.Length > 0 ? $"{options.CorpId}:{options.UserId}" : options.UserId;
        var text = $"{options.AppId}:{who}:{expireTime.ToString(CultureInfo.InvariantCulture)}:{nonce}";
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.AppKey), Encoding.UTF8.GetBytes(text)));
    }

    private string? Message(string text)
    {
        try
        {
            var error = JsonSerializer.Deserialize(text, WeLinkJson.Default.WeLinkError);
            if (error?.ErrorMsg is not { Length: > 0 } m)
            {
                return null;
            }

            var scrubbed = PlatformResponses.Scrub(m, options.AppKey, token.Current);
            return error.ErrorCode is { Length: > 0 } code ? $"{scrubbed} ({code})" : scrubbed;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
