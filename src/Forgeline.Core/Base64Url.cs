namespace Forgeline.Core;

/// <summary>base64url without padding (RFC 4648 §5), as tokens, PKCE and JWTs write bytes.</summary>
public static class Base64Url
{
    /// <summary>The bytes in base64url without padding.</summary>
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
