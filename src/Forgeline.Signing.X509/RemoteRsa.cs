using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Forgeline.Signing.X509;

/// <summary>
/// An RSA key whose public half comes from a certificate and whose only private operation, signing a hash with
/// PKCS#1 v1.5 padding, is done remotely by a <see cref="DigestSigner"/>. Give it to <c>CmsSigner</c> as the private key:
/// <c>SignedCms</c> builds the structure locally and only the raw signature comes from the signer.
/// Every other private operation (decrypt, export, PSS) throws <see cref="NotSupportedException"/>.
/// </summary>
public sealed class RemoteRsa : RSA
{
    private readonly RSA _publicKey;
    private readonly DigestSigner _signer;
    private readonly string _subject;

    /// <summary>Creates it for <paramref name="certificate"/>'s RSA public key.</summary>
    public RemoteRsa(X509Certificate2 certificate, DigestSigner signer)
    {
        _publicKey = certificate.GetRSAPublicKey()
            ?? throw new X509SigningException($"the certificate {certificate.Subject} does not hold an RSA key");
        _signer = signer;
        _subject = certificate.Subject;
        KeySizeValue = _publicKey.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <summary>Asks the remote signer to sign <paramref name="hash"/>; checks the answer against the certificate.</summary>
    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        if (padding != RSASignaturePadding.Pkcs1)
        {
            throw new NotSupportedException("the remote signer makes PKCS#1 v1.5 signatures only");
        }

        DigestAlgorithms.EnsureDigestLength(hash, hashAlgorithm);
        var signature = _signer(hash, hashAlgorithm);
        if (!_publicKey.VerifyHash(hash, signature, hashAlgorithm, padding))
        {
            throw new X509SigningException(
                $"the remote signer's signature does not verify with the public key of {_subject}: the signing key does not match the certificate");
        }

        return signature;
    }

    /// <inheritdoc />
    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
        _publicKey.VerifyHash(hash, signature, hashAlgorithm, padding);

    /// <inheritdoc />
    public override bool VerifyHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) =>
        _publicKey.VerifyHash(hash, signature, hashAlgorithm, padding);

    /// <inheritdoc />
    public override byte[] Encrypt(byte[] data, RSAEncryptionPadding padding) => _publicKey.Encrypt(data, padding);

    /// <summary>Not supported: the private key is remote and only signs.</summary>
    public override byte[] Decrypt(byte[] data, RSAEncryptionPadding padding) =>
        throw new NotSupportedException("the private key is remote and only signs digests");

    /// <summary>Exports the public parameters; the private ones are not here.</summary>
    public override RSAParameters ExportParameters(bool includePrivateParameters) => includePrivateParameters
        ? throw new NotSupportedException("the private key is remote and cannot be exported")
        : _publicKey.ExportParameters(false);

    /// <summary>Not supported: the key comes from the certificate.</summary>
    public override void ImportParameters(RSAParameters parameters) =>
        throw new NotSupportedException("a remote key cannot import parameters");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _publicKey.Dispose();
        }

        base.Dispose(disposing);
    }
}
