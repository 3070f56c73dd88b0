using System.Globalization;
using System.Text.Json;

namespace Forgeline.Bot.Forges;

/// <summary>Reading what a forge's answer says: whether it is a rate limit and for how long, and its error message.</summary>
public sealed partial class ForgeHttp
{
    private const int MaxErrorLength = 500;
    private static readonly string[] MessageProperties = ["message", "error", "error_description"];
    private static readonly string[] ValidationErrorProperties = ["resource", "field", "code"];

    /// <summary>
    /// How long to wait when the answer is a rate limit (429; 403 with <c>X-RateLimit-Remaining: 0</c> or a
    /// <c>Retry-After</c>, GitHub's primary and secondary limits), else null. <c>Retry-After</c> wins; then
    /// <c>X-RateLimit-Reset</c>/<c>RateLimit-Reset</c> (epoch seconds); with neither, a minute, as GitHub advises.
    /// </summary>
    private TimeSpan? RateLimitWait(ForgeResponse response)
    {
        var retryAfter = response.Header("Retry-After");
        var exhausted = response.Header("X-RateLimit-Remaining")?.Trim() == "0" || response.Header("RateLimit-Remaining")?.Trim() == "0";
        if (response.StatusCode != 429 && !(response.StatusCode == 403 && (exhausted || retryAfter is not null)))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (retryAfter is not null)
        {
            if (long.TryParse(retryAfter.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParseExact(retryAfter.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                return Positive(date - now);
            }
        }

        var reset = response.Header("X-RateLimit-Reset") ?? response.Header("RateLimit-Reset");
        if (reset is not null && long.TryParse(reset.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            // Epoch seconds on GitHub and GitLab; a small number can only be seconds from now (the IETF draft's meaning).
            return value > 1_000_000_000
                ? Positive(DateTimeOffset.FromUnixTimeSeconds(value) - now)
                : TimeSpan.FromSeconds(value);
        }

        return DefaultRateLimitWait;
    }

    private static TimeSpan Positive(TimeSpan wait) => wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    /// <summary>
    /// The forge's own words for a failure: <c>message</c> (GitHub, Gitee, GitLab; an object of field errors on GitLab),
    /// <c>error</c>/<c>error_description</c> (GitLab OAuth), GitHub's <c>errors[]</c> details; else the raw body, cut short.
    /// </summary>
    private static string ErrorMessage(ForgeResponse response)
    {
        var body = response.Body;
        if (body.ValueKind == JsonValueKind.Object)
        {
            var parts = new List<string>();
            foreach (var name in MessageProperties)
            {
                if (body.TryGetProperty(name, out var value))
                {
                    parts.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
                }
            }

            if (body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray())
                {
                    parts.Add(error.ValueKind == JsonValueKind.String ? error.GetString()! : DescribeError(error));
                }
            }

            if (parts.Count > 0)
            {
                return Shorten(string.Join("; ", parts));
            }
        }

        return body.ValueKind switch
        {
            JsonValueKind.Undefined => "(no body)",
            JsonValueKind.String => Shorten(body.GetString()!),
            _ => Shorten(body.GetRawText()),
        };
    }

    private static string DescribeError(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return error.GetRawText();
        }

        if (error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
        {
            return message.GetString()!;
        }

        // GitHub's validation errors: {"resource":"Issue","field":"title","code":"missing_field"}.
        var fields = ValidationErrorProperties
            .Select(name => error.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
            .Where(v => v is not null);
        return string.Join(" ", fields);
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= MaxErrorLength ? line : line[..MaxErrorLength] + "…";
    }
}
