using System.Security.Cryptography;
using System.Text;

namespace Forgeline.Core.Forges;

/// <summary>
/// Checks that a webhook delivery knows the hook's secret, the way each forge proves it: GitHub's
/// <c>X-Hub-Signature-256</c> HMAC of the body, Gitee's <c>X-Gitee-Token</c> (the password, or an HMAC of
/// <c>X-Gitee-Timestamp</c>), GitLab's <c>X-Gitlab-Token</c>. Every comparison takes constant time, and an empty
/// secret never matches (no secret configured means nothing can prove it knows one).
/// </summary>
public static class WebhookSignature
{
    /// <summary>GitHub's signature header: <c>sha256=</c> and the hex HMAC-SHA256 of the body.</summary>
    public const string GitHubHeader = "X-Hub-Signature-256";

    /// <summary>Gitee's password or signature header.</summary>
    public const string GiteeTokenHeader = "X-Gitee-Token";

    /// <summary>The millisecond timestamp Gitee signs, sent when the hook uses a signing key.</summary>
    public const string GiteeTimestampHeader = "X-Gitee-Timestamp";

    /// <summary>GitLab's secret token header.</summary>
    public const string GitLabHeader = "X-Gitlab-Token";

    /// <summary>Whether <paramref name="signature"/> (the <c>X-Hub-Signature-256</c> value) is the body's HMAC under <paramref name="secret"/>; hex digits in either case.</summary>
    public static bool VerifyGitHub(string secret, string? signature, byte[] body)
    {
        if (secret.Length == 0 || signature is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant()));
    }

    /// <summary>
    /// Whether <paramref name="token"/> (<c>X-Gitee-Token</c>) proves the secret: with a <paramref name="timestamp"/>
    /// (<c>X-Gitee-Timestamp</c>) it must be base64(HMAC-SHA256(secret, "timestamp\nsecret")), as sent or URL-encoded;
    /// without one it must be the secret itself (Gitee's password mode).
    /// </summary>
    public static bool VerifyGitee(string secret, string? token, string? timestamp)
    {
        if (secret.Length == 0 || token is null)
        {
            return false;
        }

        if (timestamp is null)
        {
            return FixedTimeEquals(secret, token);
        }

        var key = Encoding.UTF8.GetBytes(secret);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));

        // Gitee's documented algorithm URL-encodes the base64 ('+' '/' '=' as %2B %2F %3D); accept it either way.
        // Both comparisons always run so the time taken does not say which form was sent.
        var plain = FixedTimeEquals(expected, token);
        var decoded = FixedTimeEquals(expected, Uri.UnescapeDataString(token));
        return plain | decoded;
    }

    /// <summary>Whether <paramref name="token"/> (<c>X-Gitlab-Token</c>) is the secret.</summary>
    public static bool VerifyGitLab(string secret, string? token) =>
        secret.Length != 0 && token is not null && FixedTimeEquals(secret, token);

    /// <summary>
    /// Checks a delivery from whichever forge sent it, told apart by its header: <c>X-Hub-Signature-256</c> (GitHub),
    /// else <c>X-Gitee-Token</c> (Gitee), else <c>X-Gitlab-Token</c> (GitLab); a delivery with none is not authentic.
    /// </summary>
    /// <param name="secret">The hook's secret.</param>
    /// <param name="header">The request's headers, by name (case-insensitive); null when absent.</param>
    /// <param name="body">The raw body, exactly as received.</param>
    public static bool Authentic(string secret, Func<string, string?> header, byte[] body)
    {
        if (header(GitHubHeader) is { } github)
        {
            return VerifyGitHub(secret, github, body);
        }

        if (header(GiteeTokenHeader) is { } gitee)
        {
            return VerifyGitee(secret, gitee, header(GiteeTimestampHeader));
        }

        return VerifyGitLab(secret, header(GitLabHeader));
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
