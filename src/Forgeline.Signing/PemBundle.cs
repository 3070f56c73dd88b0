using System.Text.RegularExpressions;

namespace Forgeline.Signing;

/// <summary>PEM certificate bundles: split into single certificates, decode one to DER.</summary>
public static partial class PemBundle
{
    /// <summary>Each <c>CERTIFICATE</c> block of <paramref name="pem"/>, in order, with a trailing newline.</summary>
    public static List<string> Split(string pem) =>
        CertificateBlock().Matches(pem).Select(m => m.Value.Trim() + "\n").ToList();

    /// <summary>The DER bytes of one PEM certificate.</summary>
    public static byte[] Der(string pem) =>
        System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(
            Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim())))).RawData;

    [GeneratedRegex("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----")]
    private static partial Regex CertificateBlock();
}
