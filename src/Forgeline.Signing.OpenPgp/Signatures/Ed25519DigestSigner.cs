using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>Ed25519 signing (pure EdDSA over the OpenPGP digest bytes) with BouncyCastle's RFC 8032 code; R and S become the two MPIs.</summary>
internal sealed class Ed25519DigestSigner(byte[] seed, byte[] publicKey) : DigestSigner
{
    /// <inheritdoc />
    public override byte[][] Sign(byte hashAlgorithm, ReadOnlySpan<byte> digest)
    {
        byte[] signature = new byte[Ed25519.SignatureSize];

        // The static function with the cached public key neither re-derives it nor takes a lock, so parallel callers do not contend.
        Ed25519.Sign(seed, 0, publicKey, 0, digest.ToArray(), 0, digest.Length, signature, 0);
        return [signature[..32], signature[32..]];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing) => CryptographicOperations.ZeroMemory(seed);
}
