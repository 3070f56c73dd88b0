using System.Security.Cryptography;

namespace Forgeline.Bot.Webhooks;

/// <summary>Delivery ids: a forge's header when it is usable, else a digest of the body.</summary>
internal static class DeliveryIds
{
    /// <summary>The longest id stored (<c>bot_deliveries.delivery_id</c>).</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// <paramref name="candidate"/> trimmed when it is 1–128 printable ASCII characters; otherwise (absent, blank, too
    /// long, control or non-ASCII characters) the body's digest, so a bad header can neither truncate into another id
    /// nor smuggle odd characters into logs.
    /// </summary>
    public static string From(string? candidate, byte[] body)
    {
        var trimmed = candidate?.Trim();
        return trimmed is { Length: > 0 and <= MaxLength } && trimmed.All(c => c is >= '!' and <= '~') ? trimmed : OfBody(body);
    }

    /// <summary><c>sha256:</c> and the body's hex digest (71 characters).</summary>
    public static string OfBody(byte[] body) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
}
