using System.ComponentModel.DataAnnotations;

namespace Forgeline.MessageCenter;

/// <summary>
/// Webhook delivery settings, bound from <c>Forgeline:Events</c> (env <c>Forgeline__Events__*</c>), beside the event
/// bus's own tuning. Validated at start-up.
/// </summary>
public sealed class MessageCenterOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Forgeline:Events";

    /// <summary>
    /// Whether webhooks may target loopback, link-local, private, unspecified and multicast addresses. Off by default, so
    /// a user cannot make the server call its own admin endpoints or a cloud metadata service (SSRF).
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Networks webhooks may reach even though they are private, in CIDR form (e.g. <c>10.20.0.0/16</c>).</summary>
    public List<string> AllowedTargets { get; set; } = [];

    /// <summary>Seconds one HTTP attempt may take before it counts as failed; a hanging subscriber blocks nobody else.</summary>
    [Range(0.1, 300)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Attempts before a delivery is given up (<c>dead</c>).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Seconds before the first retry; each later retry waits twice as long, up to <see cref="MaxRetrySeconds"/>.</summary>
    [Range(0.01, 3600)]
    public double FirstRetrySeconds { get; set; } = 5;

    /// <summary>The longest wait between two attempts, in seconds.</summary>
    [Range(0.01, 86400)]
    public double MaxRetrySeconds { get; set; } = 600;

    /// <summary>Requests in flight at once per subscription.</summary>
    [Range(1, 256)]
    public int ConcurrencyPerSubscription { get; set; } = 16;

    /// <summary>Seconds a dispatcher owns the deliveries it claimed; another replica retries them after that.</summary>
    [Range(1, 3600)]
    public double ClaimSeconds { get; set; } = 120;

    /// <summary>Seconds between looks at the outbox and at due retries when nothing in this process signalled new events.</summary>
    [Range(0.01, 60)]
    public double PollSeconds { get; set; } = 1;

    /// <summary>Outbox events fanned out per transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>The wait before attempt <paramref name="attempts"/> + 1, after <paramref name="attempts"/> failed ones.</summary>
    public TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(MaxRetrySeconds, FirstRetrySeconds * Math.Pow(2, Math.Max(0, attempts - 1))));
}
