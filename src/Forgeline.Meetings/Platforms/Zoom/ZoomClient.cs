using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Forgeline.Meetings.Platforms.Zoom;

/// <summary>
/// Zoom's REST API v2 with server-to-server OAuth: the account's token is fetched with the app's credentials, kept until
/// shortly before it expires, and fetched again once when Zoom answers 401. A rate limit (429) or a server error (5xx)
/// is a retryable <see cref="MeetingPlatformException"/>; any other refusal carries Zoom's own message. No message
/// carries a credential or a token.
/// </summary>
public sealed class ZoomClient : IMeetingPlatform, IDisposable
{
    /// <summary>How long before its expiry a token is replaced.</summary>
    public static readonly TimeSpan TokenMargin = CachedToken.Margin;

    private readonly HttpClient http;
    private readonly ZoomOptions options;
    private readonly TimeProvider time;
    private readonly CachedToken token;

    /// <summary>A client sending through <paramref name="http"/> as the app <paramref name="options"/> describes.</summary>
    public ZoomClient(HttpClient http, ZoomOptions options, TimeProvider time)
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
        using var response = await SendAsync(HttpMethod.Post, "users/me/meetings", ZoomMeetingBody.From(request), "create the meeting", ct);
        var created = await response.Content.ReadFromJsonAsync(ZoomJson.Default.ZoomCreatedMeeting, ct)
            ?? throw new MeetingPlatformException("Zoom answered the create with an empty body", retryable: true);
        return new PlatformMeeting(created.Id.ToString(CultureInfo.InvariantCulture), created.JoinUrl, created.Password ?? "", created.StartUrl);
    }

    /// <inheritdoc />
    public async Task UpdateAsync(string id, PlatformMeetingRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await SendAsync(HttpMethod.Patch, $"meetings/{Uri.EscapeDataString(id)}", ZoomMeetingBody.From(request), $"change meeting {id}", ct);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"meetings/{Uri.EscapeDataString(id)}", null, $"delete meeting {id}", ct, goneIsSuccess: true);
    }

    /// <inheritdoc />
    public void Dispose() => token.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, ZoomMeetingBody? body, string what, CancellationToken ct, bool goneIsSuccess = false)
    {
        var uri = new Uri($"{options.ApiBaseUrl.TrimEnd('/')}/{path}");
        for (var attempt = 0; ; attempt++)
        {
            var bearer = await TokenAsync(refresh: attempt > 0, ct);
            using var message = new HttpRequestMessage(method, uri);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            if (body is not null)
            {
                message.Content = JsonContent.Create(body, ZoomJson.Default.ZoomMeetingBody);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, ct);
            }
            catch (HttpRequestException e)
            {
                throw PlatformResponses.Unreachable("Zoom", what, e);
            }

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

                throw await FailureAsync(response, $"Zoom refused to {what}", ct);
            }
        }
    }

    private Task<string> TokenAsync(bool refresh, CancellationToken ct) => token.GetAsync(refresh, FetchTokenAsync, ct);

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(CancellationToken ct)
    {
        var uri = new Uri($"{options.OAuthUrl}?grant_type=account_credentials&account_id={Uri.EscapeDataString(options.AccountId)}");
        using var message = new HttpRequestMessage(HttpMethod.Post, uri);
        message.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.ClientId}:{options.ClientSecret}")));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, ct);
        }
        catch (HttpRequestException e)
        {
            throw new MeetingPlatformException($"could not reach Zoom's OAuth endpoint: {e.Message}", retryable: true);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(response, "Zoom refused the app's credentials (check the Zoom account id, client id and client secret settings)", ct);
            }

            var issued = await response.Content.ReadFromJsonAsync(ZoomJson.Default.ZoomToken, ct);
            if (issued is null || string.IsNullOrEmpty(issued.AccessToken))
            {
                throw new MeetingPlatformException("Zoom's OAuth endpoint answered without an access token", retryable: true);
            }

            return (issued.AccessToken, TimeSpan.FromSeconds(issued.ExpiresIn));
        }
    }

    private Task<MeetingPlatformException> FailureAsync(HttpResponseMessage response, string what, CancellationToken ct) =>
        PlatformResponses.FailureAsync(response, "Zoom", what, time, ZoomMessage, ct);

    private string? ZoomMessage(string text)
    {
        try
        {
            var error = JsonSerializer.Deserialize(text, ZoomJson.Default.ZoomError);
            return error?.Message is { Length: > 0 } m ? PlatformResponses.Scrub(m, options.ClientSecret, options.WebhookSecretToken, token.Current) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
