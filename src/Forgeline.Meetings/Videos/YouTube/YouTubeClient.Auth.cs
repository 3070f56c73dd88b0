using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Forgeline.Meetings.Videos.YouTube;

/// <summary>The access token (OAuth 2.0 refresh-token grant) and Google's error shape.</summary>
public sealed partial class YouTubeClient
{
    /// <summary>How long before its expiry an access token is replaced.</summary>
    public static readonly TimeSpan TokenMargin = CachedToken.Margin;

    private Task<string> TokenAsync(bool refresh, CancellationToken ct) => token.GetAsync(refresh, FetchTokenAsync, ct);

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(CancellationToken ct)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
            ["refresh_token"] = options.RefreshToken,
        });
        using var message = new HttpRequestMessage(HttpMethod.Post, options.TokenUrl) { Content = form };
        using var response = await SendAsync(message, "get an access token", ct);
        JsonObject? answer = null;
        try
        {
            answer = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        }
        catch (JsonException)
        {
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var error = $"{Text(answer?["error"])}: {Text(answer?["error_description"])}".Trim(' ', ':');
            return status >= 500
                ? throw new VideoPlatformException($"Google's token endpoint failed with {status}; retry later", retryable: true)
                : throw new VideoPlatformException(
                    $"Google refused the refresh token ({status} {Scrub(error)}); authorize the app for the channel again and set {YouTubeOptions.Section}:{nameof(YouTubeOptions.RefreshToken)}",
                    retryable: false);
        }

        if (Text(answer?["access_token"]) is not { Length: > 0 } issued)
        {
            throw new VideoPlatformException("Google's token endpoint answered without an access token", retryable: true);
        }

        var seconds = answer?["expires_in"]?.GetValueKind() == JsonValueKind.Number ? answer["expires_in"]!.GetValue<double>() : 3600;
        return (issued, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>
    /// A refusal as Google describes it (<c>{"error":{"code":403,"message":…,"errors":[{"reason":"quotaExceeded"}]}}</c>):
    /// 5xx, 408 and 429 are retryable; anything else, a used-up quota included, is not.
    /// </summary>
    private async Task<VideoPlatformException> FailureAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        string? reason = null;
        string? message = null;
        try
        {
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))?["error"];
            message = Text(error?["message"]);
            reason = error?["errors"] is JsonArray { Count: > 0 } errors ? Text(errors[0]?["reason"]) : null;
        }
        catch (JsonException)
        {
        }

        var detail = string.Join(": ", new[] { reason, message is null ? null : Scrub(Tags().Replace(message, "")) }.Where(s => !string.IsNullOrEmpty(s)));
        detail = detail.Length > 0 ? $" {detail}" : "";
        if (reason is "quotaExceeded" or "uploadLimitExceeded" or "dailyLimitExceeded")
        {
            return new VideoPlatformException($"{what}: {status}{detail} (the quota resets at midnight Pacific Time; publish again after that)", retryable: false);
        }

        return status >= 500 || status is 408 or 429
            ? new VideoPlatformException($"{what}: YouTube failed with {status}{detail}; retry later", retryable: true)
            : new VideoPlatformException($"{what}: {status}{detail}", retryable: false);
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private string Scrub(string message) => Platforms.PlatformResponses.Scrub(message, options.ClientSecret, options.RefreshToken, token.Current);

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
