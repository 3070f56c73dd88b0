using System.Security.Cryptography;

namespace Forgeline.Signing.OpenPgp.Signatures;

/// <summary>RSA PKCS#1 v1.5 signing through .NET's <see cref="RSA"/>, which OpenSSL backs on Linux; the key is imported once.</summary>
internal sealed class RsaDigestSigner(RSA rsa) : DigestSigner
{
    /// <inheritdoc />
    public override byte[][] Sign(byte hashAlgorithm, ReadOnlySpan<byte> digest)
    {
        HashAlgorithmName name = SignatureHashing.NameOf(hashAlgorithm)
            ?? throw new OpenPgpRequestException($"hash algorithm {hashAlgorithm} is not supported; use SHA-256 or SHA-512");

        // OpenSSL creates a fresh EVP_PKEY_CTX per call, so one imported key serves parallel callers.
        return [rsa.SignHash(digest.ToArray(), name, RSASignaturePadding.Pkcs1)];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rsa.Dispose();
        }
    }
}
