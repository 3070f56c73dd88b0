using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Forgeline.Signing.X509;

/// <summary>Picks the remote key type that matches a certificate's public key.</summary>
internal static class RemoteKeys
{
    /// <summary>A <see cref="RemoteRsa"/> or <see cref="RemoteEcdsa"/> for <paramref name="certificate"/>.</summary>
    public static AsymmetricAlgorithm For(X509Certificate2 certificate, DigestSigner signer) =>
        certificate.GetKeyAlgorithm() switch
        {
            "1.2.840.113549.1.1.1" => new RemoteRsa(certificate, signer),
            "1.2.840.10045.2.1" => new RemoteEcdsa(certificate, signer),
            var other => throw new X509SigningException(
                $"the certificate {certificate.Subject} holds a key of algorithm {other}; only RSA and ECDSA can sign"),
        };
}
