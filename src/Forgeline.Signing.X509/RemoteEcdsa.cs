using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Forgeline.Signing.X509;

/// <summary>
/// An ECDSA key whose public half comes from a certificate and whose only private operation, signing a hash,
/// is done remotely by a <see cref="DigestSigner"/> that answers in IEEE P1363 form (r || s).
/// ECDSA does not name the hash, so the signer is told the SHA-2 algorithm that matches the digest length.
/// Every other private operation throws <see cref="NotSupportedException"/>.
/// </summary>
public sealed class RemoteEcdsa : ECDsa
{
    private readonly ECDsa _publicKey;
    private readonly DigestSigner _signer;
    private readonly string _subject;

    /// <summary>Creates it for <paramref name="certificate"/>'s ECDSA public key.</summary>
    public RemoteEcdsa(X509Certificate2 certificate, DigestSigner signer)
    {
        _publicKey = certificate.GetECDsaPublicKey()
            ?? throw new X509SigningException($"the certificate {certificate.Subject} does not hold an ECDSA key");
        _signer = signer;
        _subject = certificate.Subject;
        KeySizeValue = _publicKey.KeySize;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    /// <summary>Asks the remote signer to sign <paramref name="hash"/>; returns r || s, checked against the certificate.</summary>
    public override byte[] SignHash(byte[] hash)
    {
        var signature = _signer(hash, DigestAlgorithms.ForLength(hash.Length));
        if (!_publicKey.VerifyHash(hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new X509SigningException(
                $"the remote signer's signature does not verify with the public key of {_subject}: the signing key does not match the certificate, or the signature is not in IEEE P1363 form");
        }

        return signature;
    }

    /// <inheritdoc />
    public override bool VerifyHash(byte[] hash, byte[] signature) => _publicKey.VerifyHash(hash, signature);

    /// <summary>Exports the public parameters; the private ones are not here.</summary>
    public override ECParameters ExportParameters(bool includePrivateParameters) => includePrivateParameters
        ? throw new NotSupportedException("the private key is remote and cannot be exported")
        : _publicKey.ExportParameters(false);

    /// <summary>Exports the public parameters; the private ones are not here.</summary>
    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) => includePrivateParameters
        ? throw new NotSupportedException("the private key is remote and cannot be exported")
        : _publicKey.ExportExplicitParameters(false);

    /// <summary>Not supported: the key comes from the certificate.</summary>
    public override void ImportParameters(ECParameters parameters) =>
        throw new NotSupportedException("a remote key cannot import parameters");

    /// <summary>Not supported: the key comes from the certificate.</summary>
    public override void GenerateKey(ECCurve curve) =>
        throw new NotSupportedException("a remote key cannot generate keys");

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
