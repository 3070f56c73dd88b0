using System.Security.Cryptography;
using Forgeline.Testing;

namespace Forgeline.Signing.X509.Tests;

/// <summary><see cref="X509KeyFactory.Import"/> of keys and certificates made by openssl.</summary>
public sealed class X509KeyImportTests : IDisposable
{
    private readonly TempDirectory _dir = new("forgeline-x509-import");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("pkcs8-rsa", X509Algorithm.Rsa2048, "PRIVATE KEY")]
    [InlineData("pkcs1-rsa", X509Algorithm.Rsa2048, "RSA PRIVATE KEY")]
    [InlineData("sec1-ec", X509Algorithm.EcdsaP256, "EC PRIVATE KEY")]
    public async Task An_openssl_key_and_certificate_round_trip(string kind, X509Algorithm expected, string label)
    {
        var (keyPem, certPem) = await OpensslPairAsync(kind, $"/CN=Imported {kind}/O=Forgeline Tests");
        File.ReadAllText(keyPem).ShouldContain($"-----BEGIN {label}-----");

        var material = X509KeyFactory.Import(File.ReadAllText(keyPem), File.ReadAllText(certPem));

        material.Algorithm.ShouldBe(expected);
        material.Subject.ShouldContain($"CN=Imported {kind}");
        material.IsCa.ShouldBeTrue("openssl req -x509 marks its self-signed certificate CA:TRUE");
        X509KeyFactory.ToPem(material.CertificateDer).ShouldBe(File.ReadAllText(certPem).ReplaceLineEndings("\n"));

        // The imported PKCS#8 is the same key: openssl derives the certificate's public key from it.
        File.WriteAllText(_dir["imported.key"], PemEncoding.WriteString("PRIVATE KEY", material.Pkcs8PrivateKey) + "\n");
        var fromKey = await Tool.RunOkAsync("openssl", "pkey", "-in", _dir["imported.key"], "-pubout");
        var fromCert = await Tool.RunOkAsync("openssl", "x509", "-in", certPem, "-noout", "-pubkey");
        fromKey.ShouldBe(fromCert);
    }

    [Fact]
    public async Task A_key_that_does_not_belong_to_the_certificate_is_refused()
    {
        var (keyA, _) = await OpensslPairAsync("pkcs8-rsa", "/CN=Pair A");
        var (_, certB) = await OpensslPairAsync("pkcs8-rsa", "/CN=Pair B");

        var error = Should.Throw<X509SigningException>(() => X509KeyFactory.Import(File.ReadAllText(keyA), File.ReadAllText(certB)));

        error.Message.ShouldContain("does not belong to the certificate CN=Pair B");
    }

    [Fact]
    public async Task An_encrypted_key_asks_to_be_decrypted_first()
    {
        var (_, cert) = await OpensslPairAsync("pkcs8-rsa", "/CN=Encrypted");
        await Tool.RunOkAsync("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes256", "-pass", "pass:secret", "-out", _dir["enc.key"]);

        var error = Should.Throw<X509SigningException>(() => X509KeyFactory.Import(File.ReadAllText(_dir["enc.key"]), File.ReadAllText(cert)));

        error.Message.ShouldContain("the private key is encrypted; decrypt it first");
    }

    [Fact]
    public async Task Text_that_is_not_PEM_is_refused()
    {
        var (key, cert) = await OpensslPairAsync("pkcs8-rsa", "/CN=Text");

        Should.Throw<X509SigningException>(() => X509KeyFactory.Import("just some text", File.ReadAllText(cert)))
            .Message.ShouldContain("no private key found");
        Should.Throw<X509SigningException>(() => X509KeyFactory.Import(File.ReadAllText(key), File.ReadAllText(key)))
            .Message.ShouldContain("no certificate found");
    }

    private async Task<(string Key, string Certificate)> OpensslPairAsync(string kind, string subject)
    {
        var id = Guid.NewGuid().ToString("N");
        var key = _dir[$"{id}.key"];
        var cert = _dir[$"{id}.pem"];
        switch (kind)
        {
            case "pkcs8-rsa":
                await Tool.RunOkAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-subj", subject, "-days", "30");
                break;
            case "pkcs1-rsa":
                await Tool.RunOkAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key + ".p8", "-out", cert, "-subj", subject, "-days", "30");
                await Tool.RunOkAsync("openssl", "rsa", "-in", key + ".p8", "-traditional", "-out", key);
                break;
            default:
                await Tool.RunOkAsync("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key);
                await Tool.RunOkAsync("openssl", "req", "-x509", "-new", "-key", key, "-out", cert, "-subj", subject, "-days", "30");
                break;
        }

        return (key, cert);
    }
}
