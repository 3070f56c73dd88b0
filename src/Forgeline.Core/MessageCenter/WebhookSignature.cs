using System.Security.Cryptography;

namespace Forgeline.Core.MessageCenter;

/// <summary>
/// The <c>X-Forgeline-Signature-256</c> header of a webhook delivery: <c>sha256=</c> and the lower-case hex HMAC-SHA256
/// of the request body, keyed with the subscription's secret (the same scheme as GitHub's <c>X-Hub-Signature-256</c>).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header's name.</summary>
    public const string Header = "X-Forgeline-Signature-256";

    /// <summary>The header's value for <paramref name="body"/>.</summary>
    public static string Compute(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body));

    /// <summary>True when <paramref name="header"/> is the signature of <paramref name="body"/>; compares in constant time.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Compute(secret, body)), System.Text.Encoding.ASCII.GetBytes(header));
}
