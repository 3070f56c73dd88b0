using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Forgeline.Testing;

namespace Forgeline.Signing.X509.Tests;

/// <summary>The digest-signing server side and the remote keys the client assembles signatures with.</summary>
public sealed class RemoteSigningTests
{
    [Theory]
    [InlineData(X509Algorithm.Rsa2048)]
    [InlineData(X509Algorithm.EcdsaP256)]
    public async Task A_digest_signature_verifies_with_openssl_against_the_certificate(X509Algorithm algorithm)
    {
        using var pki = new TestPki(algorithm, X509Algorithm.EcdsaP256);
        using var dir = new TempDirectory();
        var data = "the bytes the client hashed"u8.ToArray();
        var digest = SHA256.HashData(data);

        var signature = pki.Server(digest, HashAlgorithmName.SHA256);

        // openssl wants ECDSA signatures in DER; the service speaks IEEE P1363 (r || s), 64 bytes for P-256.
        if (algorithm == X509Algorithm.EcdsaP256)
        {
            signature.Length.ShouldBe(64);
            signature = P1363ToDer(signature);
        }
        else
        {
            signature.Length.ShouldBe(256);
        }

        File.WriteAllBytes(dir["data"], data);
        File.WriteAllBytes(dir["sig"], signature);
        await Tool.RunOkAsync("openssl", "x509", "-in", pki.LeafPem, "-pubkey", "-noout", "-out", dir["pub.pem"]);
        var output = await Tool.RunOkAsync("openssl", "dgst", "-sha256", "-verify", dir["pub.pem"], "-signature", dir["sig"], dir["data"]);
        output.ShouldContain("Verified OK");

        File.WriteAllBytes(dir["data"], "different bytes"u8.ToArray());
        var (code, tampered) = await Tool.RunAsync("openssl", "dgst", "-sha256", "-verify", dir["pub.pem"], "-signature", dir["sig"], dir["data"]);
        code.ShouldNotBe(0, tampered);
    }

    [Fact]
    public void A_cached_key_signs_from_many_threads_at_once()
    {
        using var pki = new TestPki(X509Algorithm.Rsa2048, X509Algorithm.EcdsaP256);
        using var key = X509PrivateKey.Load(pki.Leaf.Pkcs8PrivateKey, X509Algorithm.Rsa2048);
        using var publicKey = pki.LeafCertificate.GetRSAPublicKey()!;
        var digests = Enumerable.Range(0, 64).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();

        var signatures = new byte[digests.Length][];
        Parallel.For(0, digests.Length, i => signatures[i] = key.SignDigest(digests[i], HashAlgorithmName.SHA256));

        for (var i = 0; i < digests.Length; i++)
        {
            publicKey.VerifyHash(digests[i], signatures[i], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).ShouldBeTrue();
        }
    }

    [Fact]
    public void A_signer_holding_the_wrong_key_is_caught_before_the_signature_is_used()
    {
        using var pki = new TestPki(X509Algorithm.Rsa2048, X509Algorithm.EcdsaP256);
        using var other = new TestPki(X509Algorithm.Rsa2048, X509Algorithm.EcdsaP256, name: "Other");
        using var remote = new RemoteRsa(pki.LeafCertificate, other.Server);

        var error = Should.Throw<X509SigningException>(() =>
            remote.SignHash(SHA256.HashData("x"u8), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        error.Message.ShouldContain("does not match the certificate");
    }

    [Fact]
    public void The_server_refuses_a_digest_of_the_wrong_length_and_a_key_of_the_wrong_algorithm()
    {
        using var pki = new TestPki(X509Algorithm.Rsa2048, X509Algorithm.EcdsaP256);

        Should.Throw<X509SigningException>(() => X509DigestSigning.SignDigest(pki.Leaf.Pkcs8PrivateKey, X509Algorithm.Rsa2048, new byte[20], HashAlgorithmName.SHA256))
            .Message.ShouldContain("the digest is 20 bytes but a SHA256 digest is 32");
        Should.Throw<X509SigningException>(() => X509DigestSigning.SignDigest(pki.Leaf.Pkcs8PrivateKey, X509Algorithm.Rsa4096, new byte[32], HashAlgorithmName.SHA256))
            .Message.ShouldContain("the private key is Rsa2048, but Rsa4096 was expected");
        Should.Throw<X509SigningException>(() => X509DigestSigning.SignDigest("not a key"u8.ToArray(), X509Algorithm.Rsa2048, new byte[32], HashAlgorithmName.SHA256))
            .Message.ShouldContain("not an unencrypted PKCS#8 key");
    }

    [Fact]
    public void The_client_side_keys_do_nothing_private_but_sign()
    {
        using var pki = new TestPki(X509Algorithm.Rsa2048, X509Algorithm.EcdsaP256);
        using var ec = new TestPki(X509Algorithm.EcdsaP256, X509Algorithm.EcdsaP256, name: "Ec");
        using var rsa = new RemoteRsa(pki.LeafCertificate, pki.Server);
        using var ecdsa = new RemoteEcdsa(ec.LeafCertificate, ec.Server);

        Should.Throw<NotSupportedException>(() => rsa.Decrypt(new byte[256], RSAEncryptionPadding.Pkcs1));
        Should.Throw<NotSupportedException>(() => rsa.ExportParameters(true));
        Should.Throw<NotSupportedException>(() => rsa.ExportPkcs8PrivateKey());
        Should.Throw<NotSupportedException>(() => rsa.SignHash(new byte[32], HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
        Should.Throw<NotSupportedException>(() => ecdsa.ExportParameters(true));
        Should.Throw<NotSupportedException>(() => ecdsa.ExportECPrivateKey());
        rsa.KeySize.ShouldBe(2048);
        ecdsa.KeySize.ShouldBe(256);
        rsa.ExportSubjectPublicKeyInfo().ShouldBe(pki.LeafCertificate.PublicKey.ExportSubjectPublicKeyInfo());

        var digest = SHA256.HashData("y"u8);
        ecdsa.VerifyHash(digest, ecdsa.SignHash(digest)).ShouldBeTrue();
    }

    private static byte[] P1363ToDer(byte[] signature)
    {
        var half = signature.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(signature.AsSpan(0, half));
            writer.WriteIntegerUnsigned(signature.AsSpan(half));
        }

        return writer.Encode();
    }
}
