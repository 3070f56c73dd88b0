namespace Forgeline.Bot.Forges;

/// <summary>Where a forge client connects, with what token, and how patiently it retries.</summary>
/// <param name="ApiUrl">The API's base, e.g. <c>https://api.github.com</c>, <c>https://gitee.com/api/v5</c>, <c>https://gitlab.com/api/v4</c>.</param>
/// <param name="Token">The bot account's API token.</param>
public sealed record ForgeClientOptions(Uri ApiUrl, string Token)
{
    /// <summary>How many times one request is sent at most (first try included) on server errors, network errors and rate limits.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>How long one attempt may take, response body included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest rate-limit wait the client sits out; a longer one fails the request at once.</summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The first retry's backoff; each further retry doubles it (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff between two retries of a failed request.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <inheritdoc />
    public override string ToString() => $"{ApiUrl} (token hidden)";
}
