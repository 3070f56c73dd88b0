using System.Security.Cryptography;

namespace Forgeline.Signing.X509;

/// <summary>
/// The remote signing operation: signs an already-computed <paramref name="digest"/> with a private key the caller never sees.
/// For an RSA key it returns the raw RSASSA-PKCS1-v1_5 signature (as many bytes as the modulus);
/// for an ECDSA key it returns the signature in IEEE P1363 form (r || s, each as wide as the curve order), not DER.
/// <see cref="X509DigestSigning.SignDigest"/> and <see cref="X509PrivateKey.SignDigest"/> produce exactly these forms.
/// </summary>
/// <param name="digest">The hash to sign, computed by the client.</param>
/// <param name="hash">The hash algorithm that produced <paramref name="digest"/>.</param>
/// <returns>The signature bytes.</returns>
public delegate byte[] DigestSigner(byte[] digest, HashAlgorithmName hash);
