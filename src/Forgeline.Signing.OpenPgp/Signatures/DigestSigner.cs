using System.Security.Cryptography;
using Forgeline.Signing.OpenPgp.Keys;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>The private-key operation: turns a digest into the signature MPIs of one key. Implementations are safe for parallel use.</summary>
internal abstract class DigestSigner : IDisposable
{
    /// <summary>Creates the signer for <paramref name="key"/> from its decrypted <paramref name="secret"/>.</summary>
    public static DigestSigner Create(PublicKeyData key, SecretKeyMaterial secret, string keyName)
    {
        if (key.Ed25519PublicKey is byte[] publicKey)
        {
            return new Ed25519DigestSigner(secret.Ed25519Seed(), publicKey);
        }

        RSA rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(secret.ToRsaParameters(key));
            return new RsaDigestSigner(rsa);
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw new OpenPgpFormatException($"secret key {keyName} is damaged: the RSA key does not import ({e.Message})", e);
        }
    }

    /// <summary>Signs <paramref name="digest"/>, computed with OpenPGP hash algorithm <paramref name="hashAlgorithm"/>.</summary>
    public abstract byte[][] Sign(byte hashAlgorithm, ReadOnlySpan<byte> digest);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the key.</summary>
    protected abstract void Dispose(bool disposing);
}
