using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Forgeline.Signing.X509;

/// <summary>Creates CA and code-signing keys with their certificates, imports existing ones, and writes PEM.</summary>
public static class X509KeyFactory
{
    private const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    /// <summary>Creates a self-signed root CA: basicConstraints CA (critical), keyCertSign + cRLSign, subject key identifier.</summary>
    public static X509KeyMaterial CreateRoot(string subject, X509Algorithm algorithm, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var name = ParseName(subject);
        CheckValidity(notBefore, notAfter);
        using var key = X509PrivateKey.Generate(algorithm);
        var request = NewRequest(name, key);
        AddCaExtensions(request);
        using var certificate = request.Create(name, Generator(key), notBefore, notAfter, RandomSerial());
        return Material(key, certificate);
    }

    /// <summary>
    /// Creates a key and a certificate issued by <paramref name="issuer"/>: an intermediate CA when <paramref name="isCa"/>,
    /// otherwise a code-signing leaf (digitalSignature, extended key usage codeSigning). The validity is clamped to the issuer's.
    /// </summary>
    public static X509KeyMaterial CreateIssued(
        X509KeyMaterial issuer, string subject, X509Algorithm algorithm, bool isCa, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (!issuer.IsCa)
        {
            throw new X509SigningException($"{issuer.Subject} is not a CA certificate and cannot issue certificates");
        }

        var name = ParseName(subject);
        using var issuerCertificate = X509CertificateLoader.LoadCertificate(issuer.CertificateDer);
        using var issuerKey = X509PrivateKey.Load(issuer.Pkcs8PrivateKey, issuer.Algorithm);
        notBefore = notBefore < issuer.NotBefore ? issuer.NotBefore : notBefore;
        notAfter = notAfter > issuer.NotAfter ? issuer.NotAfter : notAfter;
        CheckValidity(notBefore, notAfter);

        using var key = X509PrivateKey.Generate(algorithm);
        var request = NewRequest(name, key);
        if (isCa)
        {
            AddCaExtensions(request);
        }
        else
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CodeSigningOid)], false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        }

        var hasKeyId = issuerCertificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any();
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            issuerCertificate, includeKeyIdentifier: hasKeyId, includeIssuerAndSerial: !hasKeyId));
        using var certificate = request.Create(issuerCertificate.SubjectName, Generator(issuerKey), notBefore, notAfter, RandomSerial());
        return Material(key, certificate);
    }

    /// <summary>
    /// Imports a PEM private key (PKCS#8 "PRIVATE KEY", "RSA PRIVATE KEY" or "EC PRIVATE KEY") and the first PEM
    /// "CERTIFICATE" in <paramref name="pemCertificate"/>; throws <see cref="X509SigningException"/> unless the key belongs to the certificate.
    /// </summary>
    public static X509KeyMaterial Import(string pemPrivateKey, string pemCertificate)
    {
        using var key = PemKeyReader.ReadPrivateKey(pemPrivateKey);
        using var certificate = PemKeyReader.ReadCertificate(pemCertificate);
        if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(certificate.PublicKey.ExportSubjectPublicKeyInfo()))
        {
            throw new X509SigningException(
                $"the private key does not belong to the certificate {certificate.Subject}: their public keys differ; check that you passed the matching pair");
        }

        return Material(key, certificate);
    }

    /// <summary>The certificate as PEM ("-----BEGIN CERTIFICATE-----"), ending with a newline.</summary>
    public static string ToPem(byte[] certificateDer) => PemEncoding.WriteString("CERTIFICATE", certificateDer) + "\n";

    /// <summary>Loads the certificate of <paramref name="material"/> (public part only).</summary>
    public static X509Certificate2 LoadCertificate(X509KeyMaterial material) =>
        X509CertificateLoader.LoadCertificate(material.CertificateDer);

    private static CertificateRequest NewRequest(X500DistinguishedName name, X509PrivateKey key) => key.Key switch
    {
        RSA rsa => new CertificateRequest(name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => new CertificateRequest(name, ecdsa, HashAlgorithmName.SHA256),
        _ => throw new InvalidOperationException("unreachable: keys are RSA or ECDSA"),
    };

    private static X509SignatureGenerator Generator(X509PrivateKey key) => key.Key switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        _ => throw new InvalidOperationException("unreachable: keys are RSA or ECDSA"),
    };

    private static void AddCaExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private static X509KeyMaterial Material(X509PrivateKey key, X509Certificate2 certificate)
    {
        var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
        return new X509KeyMaterial(
            key.ExportPkcs8PrivateKey(),
            certificate.RawData,
            key.Algorithm,
            certificate.Subject,
            isCa,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    private static X500DistinguishedName ParseName(string subject)
    {
        try
        {
            return string.IsNullOrWhiteSpace(subject)
                ? throw new X509SigningException("the certificate subject is empty; give a name such as \"CN=Forgeline Signing, O=Example\"")
                : new X500DistinguishedName(subject);
        }
        catch (CryptographicException e)
        {
            throw new X509SigningException($"'{subject}' is not a distinguished name; write it as \"CN=Forgeline Signing, O=Example\"", e);
        }
    }

    private static void CheckValidity(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (notAfter <= notBefore)
        {
            throw new X509SigningException(
                $"the validity period is empty: notBefore {notBefore:u} is not before notAfter {notAfter:u} (after clamping to the issuer's validity)");
        }
    }

    // A positive 128-bit serial with no leading zero byte, so it encodes as exactly 16 bytes.
    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }
}
