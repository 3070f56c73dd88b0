using System.Security.Cryptography;
using System.Text;
using Forgeline.Core;

namespace Forgeline.Accounts;

/// <summary>Random secrets handed out once and stored only as their sha256 (tokens, sessions, login codes).</summary>
public static class Secrets
{
    /// <summary>A new secret of 256 random bits, base64url, after <paramref name="prefix"/>.</summary>
    public static string New(string prefix) => prefix + Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lower-case hex sha256 of <paramref name="secret"/>: what is stored and looked up.</summary>
    public static string HashOf(string secret) => Sha256Hex.OfText(secret);
}
