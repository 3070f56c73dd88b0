using System.Security.Cryptography;
using System.Text;

namespace Forgeline.Core;

/// <summary>Proof Key for Code Exchange (RFC 7636) with S256: the one rule the CLI, the server and the tests share.</summary>
public static class Pkce
{
    /// <summary>A new random verifier (256 bits, base64url: 43 characters).</summary>
    public static string NewVerifier() => Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The S256 challenge of <paramref name="verifier"/>: base64url of its sha256.</summary>
    public static string ChallengeOf(string verifier) => Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
