namespace Forgeline.Signing.X509;

/// <summary>A private key and its certificate, as the signing service stores them.</summary>
/// <param name="Pkcs8PrivateKey">The unencrypted PKCS#8 private key (DER). Only the server side ever holds this.</param>
/// <param name="CertificateDer">The X.509 certificate (DER).</param>
/// <param name="Algorithm">The key algorithm.</param>
/// <param name="Subject">The certificate subject, e.g. <c>CN=Forgeline Kernel Signing, O=Example</c>.</param>
/// <param name="IsCa">Whether the certificate is a CA (basicConstraints CA:TRUE).</param>
/// <param name="NotBefore">Start of validity (UTC).</param>
/// <param name="NotAfter">End of validity (UTC).</param>
public sealed record X509KeyMaterial(
    byte[] Pkcs8PrivateKey,
    byte[] CertificateDer,
    X509Algorithm Algorithm,
    string Subject,
    bool IsCa,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter);
