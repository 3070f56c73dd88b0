using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>
/// Ed25519 signing (pure EdDSA over the OpenPGP digest bytes); R and S become the two MPIs. OpenSSL signs when the system
/// has it (<see cref="OpenSslEd25519"/>), else BouncyCastle's RFC 8032 code: the signatures are the same (Ed25519 is deterministic).
/// </summary>
internal sealed class Ed25519DigestSigner : DigestSigner
{
    private readonly byte[] seed;
    private readonly byte[] publicKey;
    private readonly OpenSslEd25519? openSsl;

    public Ed25519DigestSigner(byte[] seed, byte[] publicKey, bool useOpenSsl = true)
    {
        this.seed = seed;
        this.publicKey = publicKey;
        openSsl = useOpenSsl ? OpenSslEd25519.TryCreate(seed) : null;
    }

    /// <inheritdoc />
    public override byte[][] Sign(byte hashAlgorithm, ReadOnlySpan<byte> digest)
    {
        byte[] signature;
        if (openSsl is not null)
        {
            signature = openSsl.Sign(digest);
        }
        else
        {
            signature = new byte[Ed25519.SignatureSize];
            // The static function with the cached public key neither re-derives it nor takes a lock, so parallel callers do not contend.
            Ed25519.Sign(seed, 0, publicKey, 0, digest.ToArray(), 0, digest.Length, signature, 0);
        }

        return [signature[..32], signature[32..]];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        openSsl?.Dispose();
        CryptographicOperations.ZeroMemory(seed);
    }
}
