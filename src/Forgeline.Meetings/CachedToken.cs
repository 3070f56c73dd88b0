namespace Forgeline.Meetings;

/// <summary>
/// An access token a client fetches from its platform and keeps until <see cref="Margin"/> before it expires; one fetch
/// at a time, so concurrent calls share it. Used by the Zoom, WeLink and YouTube clients.
/// </summary>
public sealed class CachedToken(TimeProvider time) : IDisposable
{
    /// <summary>How long before its expiry a token is replaced.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim gate = new(1, 1);
    private string? token;
    private DateTimeOffset expires;

    /// <summary>The token now held, if any (to keep it out of messages).</summary>
    public string? Current => token;

    /// <summary>
    /// The token: the one held while it is fresh, otherwise (or when <paramref name="refresh"/>, after the platform
    /// refused it) a new one from <paramref name="fetch"/>, which returns it with its lifetime.
    /// </summary>
    public async Task<string> GetAsync(bool refresh, Func<CancellationToken, Task<(string Token, TimeSpan Lifetime)>> fetch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        await gate.WaitAsync(ct);
        try
        {
            if (!refresh && token is not null && time.GetUtcNow() < expires - Margin)
            {
                return token;
            }

            var (issued, lifetime) = await fetch(ct);
            token = issued;
            expires = time.GetUtcNow() + lifetime;
            return issued;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();
}
