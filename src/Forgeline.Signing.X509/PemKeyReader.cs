using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Forgeline.Signing.X509;

/// <summary>Reads private keys and certificates out of PEM text.</summary>
internal static class PemKeyReader
{
    /// <summary>Reads the first private key: PKCS#8, PKCS#1 RSA or SEC1 EC.</summary>
    public static X509PrivateKey ReadPrivateKey(string pem)
    {
        foreach (var (label, der) in Blocks(pem))
        {
            switch (label)
            {
                case "PRIVATE KEY":
                    return X509PrivateKey.Load(der);
                case "RSA PRIVATE KEY":
                    return Convert(der, static (key, bytes) => ((RSA)key).ImportRSAPrivateKey(bytes, out _), RSA.Create());
                case "EC PRIVATE KEY":
                    return Convert(der, static (key, bytes) => ((ECDsa)key).ImportECPrivateKey(bytes, out _), ECDsa.Create());
                case "ENCRYPTED PRIVATE KEY":
                    throw new X509SigningException(
                        "the private key is encrypted; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem) and import the result");
                default:
                    continue;
            }
        }

        throw new X509SigningException(
            "no private key found: expected a PEM block \"-----BEGIN PRIVATE KEY-----\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\"");
    }

    /// <summary>Reads the first certificate.</summary>
    public static X509Certificate2 ReadCertificate(string pem)
    {
        foreach (var (label, der) in Blocks(pem))
        {
            if (label == "CERTIFICATE")
            {
                try
                {
                    return X509CertificateLoader.LoadCertificate(der);
                }
                catch (CryptographicException e)
                {
                    throw new X509SigningException("the PEM CERTIFICATE block is not a valid X.509 certificate", e);
                }
            }
        }

        throw new X509SigningException("no certificate found: expected a PEM block \"-----BEGIN CERTIFICATE-----\"");
    }

    private static X509PrivateKey Convert(byte[] der, Action<AsymmetricAlgorithm, byte[]> import, AsymmetricAlgorithm key)
    {
        using (key)
        {
            try
            {
                import(key, der);
            }
            catch (CryptographicException e)
            {
                throw new X509SigningException("the PEM private key could not be read; is it complete and unencrypted?", e);
            }

            return X509PrivateKey.Load(key.ExportPkcs8PrivateKey());
        }
    }

    private static IEnumerable<(string Label, byte[] Der)> Blocks(string pem)
    {
        var offset = 0;
        while (offset < pem.Length && PemEncoding.TryFind(pem.AsSpan(offset), out var fields))
        {
            var block = pem.AsSpan(offset);
            var label = block[fields.Label].ToString();
            var der = System.Convert.FromBase64String(block[fields.Base64Data].ToString());
            offset += fields.Location.End.Value;
            yield return (label, der);
        }
    }
}
