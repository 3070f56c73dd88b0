using System.Security.Cryptography;

namespace Forgeline.Signing.X509;

/// <summary>The server side of remote signing: signs a digest with a stored key. The data itself never reaches the server.</summary>
public static class X509DigestSigning
{
    /// <summary>
    /// Signs <paramref name="digest"/> with a PKCS#8 key: RSA PKCS#1 v1.5, or ECDSA in IEEE P1363 form (r || s).
    /// Loads the key each call; a service that signs often should keep an <see cref="X509PrivateKey"/> instead.
    /// </summary>
    public static byte[] SignDigest(byte[] pkcs8PrivateKey, X509Algorithm algorithm, byte[] digest, HashAlgorithmName hash)
    {
        using var key = X509PrivateKey.Load(pkcs8PrivateKey, algorithm);
        return key.SignDigest(digest, hash);
    }
}
