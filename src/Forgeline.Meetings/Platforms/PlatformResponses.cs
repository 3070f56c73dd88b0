using System.Net;

namespace Forgeline.Meetings.Platforms;

/// <summary>
/// The failure rules every platform client shares: a rate limit (429) and a server error (5xx) are retryable, with the
/// wait the platform asked for in <c>Retry-After</c> (seconds or a date); any other refusal is not retryable and carries
/// the platform's own message, read from its error body by the client.
/// </summary>
internal static class PlatformResponses
{
    /// <summary>
    /// The exception for the failed <paramref name="response"/> of <paramref name="platform"/>; <paramref name="message"/>
    /// reads the platform's message (scrubbed of secrets) from the body text, or returns null.
    /// </summary>
    public static async Task<MeetingPlatformException> FailureAsync(
        HttpResponseMessage response, string platform, string what, TimeProvider time, Func<string, string?> message, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return RateLimited(platform, what, RetryAfter(response, time));
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        var detail = message(text) is { Length: > 0 } m ? $": {m}" : "";
        return status >= 500
            ? new MeetingPlatformException($"{what}: {platform} failed with {status}{detail}; retry later", retryable: true)
            : Refused(what, status, detail);
    }

    /// <summary>A retryable failure for a rate limit, naming the wait when the platform gave one.</summary>
    public static MeetingPlatformException RateLimited(string platform, string what, TimeSpan? wait)
    {
        var when = wait is { } w ? $"retry after {w.TotalSeconds:0} seconds (Retry-After)" : $"retry later ({platform} sent no Retry-After)";
        return new MeetingPlatformException($"{what}: {platform}'s rate limit was reached (429); {when}", retryable: true) { RetryAfter = wait };
    }

    /// <summary>A refusal that will not change on retry; <paramref name="detail"/> is empty or starts with <c>": "</c>.</summary>
    public static MeetingPlatformException Refused(string what, int status, string detail) =>
        new($"{what}: {status}{detail}", retryable: false);

    /// <summary>A retryable failure for a platform that could not be reached.</summary>
    public static MeetingPlatformException Unreachable(string platform, string what, HttpRequestException e) =>
        new($"could not reach {platform} to {what}: {e.Message}", retryable: true);

    /// <summary>How long <c>Retry-After</c> asks to wait (a date in the past is no wait), or null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary><paramref name="message"/> with every non-empty value of <paramref name="secrets"/> replaced by <c>***</c>.</summary>
    public static string Scrub(string message, params string?[] secrets)
    {
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                message = message.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return message;
    }
}
