using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Forgeline.Testing;

namespace Forgeline.Signing.X509.Tests;

/// <summary>
/// A root CA, an intermediate CA and a code-signing leaf made by <see cref="X509KeyFactory"/>, written as PEM files for the
/// command-line verifiers. <see cref="Server"/> plays the signing service: only it touches the leaf's PKCS#8 key.
/// </summary>
public sealed class TestPki : IDisposable
{
    /// <summary>Creates the chain; the leaf uses <paramref name="leafAlgorithm"/>, the CAs <paramref name="caAlgorithm"/>.</summary>
    public TestPki(X509Algorithm leafAlgorithm, X509Algorithm caAlgorithm = X509Algorithm.Rsa2048, string name = "Forgeline Test")
    {
        var now = DateTimeOffset.UtcNow;
        Root = X509KeyFactory.CreateRoot($"CN={name} Root CA, O=Forgeline Tests", caAlgorithm, now.AddDays(-1), now.AddYears(10));
        Intermediate = X509KeyFactory.CreateIssued(Root, $"CN={name} Intermediate CA, O=Forgeline Tests", caAlgorithm, true, now.AddDays(-1), now.AddYears(5));
        Leaf = X509KeyFactory.CreateIssued(Intermediate, $"CN={name} Signing {leafAlgorithm}, O=Forgeline Tests", leafAlgorithm, false, now.AddDays(-1), now.AddYears(1));
        LeafCertificate = X509KeyFactory.LoadCertificate(Leaf);
        IntermediateCertificate = X509KeyFactory.LoadCertificate(Intermediate);
        File.WriteAllText(RootPem, X509KeyFactory.ToPem(Root.CertificateDer));
        File.WriteAllText(IntermediatePem, X509KeyFactory.ToPem(Intermediate.CertificateDer));
        File.WriteAllText(LeafPem, X509KeyFactory.ToPem(Leaf.CertificateDer));
        File.WriteAllText(LeafAndIntermediatePem, X509KeyFactory.ToPem(Leaf.CertificateDer) + X509KeyFactory.ToPem(Intermediate.CertificateDer));
        File.WriteAllText(RootAndIntermediatePem, X509KeyFactory.ToPem(Root.CertificateDer) + X509KeyFactory.ToPem(Intermediate.CertificateDer));
    }

    /// <summary>The files.</summary>
    public TempDirectory Directory { get; } = new("forgeline-x509-pki");

    /// <summary>The root CA (key and certificate).</summary>
    public X509KeyMaterial Root { get; }

    /// <summary>The intermediate CA.</summary>
    public X509KeyMaterial Intermediate { get; }

    /// <summary>The code-signing leaf.</summary>
    public X509KeyMaterial Leaf { get; }

    /// <summary>The leaf certificate, public part only: what the client holds.</summary>
    public X509Certificate2 LeafCertificate { get; }

    /// <summary>The intermediate certificate, public part only.</summary>
    public X509Certificate2 IntermediateCertificate { get; }

    /// <summary>root.pem.</summary>
    public string RootPem => Directory["root.pem"];

    /// <summary>inter.pem.</summary>
    public string IntermediatePem => Directory["inter.pem"];

    /// <summary>leaf.pem.</summary>
    public string LeafPem => Directory["leaf.pem"];

    /// <summary>The leaf then the intermediate, for verifiers that take one file of extra certificates.</summary>
    public string LeafAndIntermediatePem => Directory["leaf-and-inter.pem"];

    /// <summary>
    /// The root then the intermediate, as a -CAfile for <c>openssl cms -verify</c>, which has no -untrusted option. Without
    /// -partial_chain openssl still builds the chain up to the self-signed root and checks every signature on it.
    /// </summary>
    public string RootAndIntermediatePem => Directory["root-and-inter.pem"];

    /// <summary>The remote signer as the service runs it: the stored PKCS#8 key signs the digest the client sent.</summary>
    public DigestSigner Server => (digest, hash) => X509DigestSigning.SignDigest(Leaf.Pkcs8PrivateKey, Leaf.Algorithm, digest, hash);

    /// <summary>The leaf's private key as a PEM file, for peer tools (sign-file, sbsign) that sign locally.</summary>
    public string WriteLeafKeyPem()
    {
        var path = Directory["leaf.key"];
        File.WriteAllText(path, PemEncoding.WriteString("PRIVATE KEY", Leaf.Pkcs8PrivateKey) + "\n");
        return path;
    }

    /// <summary>The common name of the leaf's issuer.</summary>
    public string LeafIssuerCommonName => LeafCertificate.IssuerName.EnumerateRelativeDistinguishedNames()
        .First(n => n.GetSingleElementType().Value == "2.5.4.3").GetSingleElementValue()!;

    /// <inheritdoc />
    public void Dispose()
    {
        LeafCertificate.Dispose();
        IntermediateCertificate.Dispose();
        Directory.Dispose();
    }
}
