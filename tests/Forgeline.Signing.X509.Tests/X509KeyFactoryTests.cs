using Forgeline.Testing;

namespace Forgeline.Signing.X509.Tests;

/// <summary>Certificates from <see cref="X509KeyFactory"/>, checked by openssl.</summary>
public sealed class X509KeyFactoryTests
{
    [Theory]
    [InlineData(X509Algorithm.Rsa2048)]
    [InlineData(X509Algorithm.Rsa4096)]
    [InlineData(X509Algorithm.EcdsaP256)]
    public async Task A_root_intermediate_leaf_chain_verifies_with_openssl(X509Algorithm algorithm)
    {
        using var pki = new TestPki(algorithm, caAlgorithm: algorithm);
        using var stranger = new TestPki(X509Algorithm.EcdsaP256, caAlgorithm: X509Algorithm.EcdsaP256, name: "Stranger");

        var output = await Tool.RunOkAsync("openssl", "verify", "-CAfile", pki.RootPem, "-untrusted", pki.IntermediatePem, pki.LeafPem);
        output.ShouldContain($"{pki.LeafPem}: OK");

        var (code, wrongRoot) = await Tool.RunAsync("openssl", "verify", "-CAfile", stranger.RootPem, "-untrusted", pki.IntermediatePem, pki.LeafPem);
        code.ShouldNotBe(0, wrongRoot);
        pki.Leaf.Algorithm.ShouldBe(algorithm);
        pki.Leaf.IsCa.ShouldBeFalse();
        pki.Intermediate.IsCa.ShouldBeTrue();
    }

    [Fact]
    public async Task The_certificates_carry_the_extensions_a_CA_and_a_code_signing_leaf_need()
    {
        using var pki = new TestPki(X509Algorithm.Rsa2048);

        var root = await Tool.RunOkAsync("openssl", "x509", "-in", pki.RootPem, "-noout", "-text");
        root.ShouldContain("X509v3 Basic Constraints: critical");
        root.ShouldContain("CA:TRUE");
        root.ShouldContain("Certificate Sign, CRL Sign");
        root.ShouldContain("X509v3 Subject Key Identifier");

        var inter = await Tool.RunOkAsync("openssl", "x509", "-in", pki.IntermediatePem, "-noout", "-text");
        inter.ShouldContain("CA:TRUE");
        inter.ShouldContain("X509v3 Authority Key Identifier");

        var leaf = await Tool.RunOkAsync("openssl", "x509", "-in", pki.LeafPem, "-noout", "-text");
        leaf.ShouldContain("CA:FALSE");
        leaf.ShouldContain("Digital Signature");
        leaf.ShouldContain("X509v3 Extended Key Usage");
        leaf.ShouldContain("Code Signing");
        leaf.ShouldContain("X509v3 Authority Key Identifier");
        leaf.ShouldContain("Subject: O = Forgeline Tests, CN = Forgeline Test Signing Rsa2048");

        var purpose = await Tool.RunOkAsync("openssl", "x509", "-in", pki.LeafPem, "-noout", "-serial");
        purpose.ShouldStartWith("serial=");
        purpose.Trim().Length.ShouldBe("serial=".Length + 32, "a random 128-bit serial");
    }

    [Fact]
    public async Task An_issued_certificate_never_outlives_its_issuer()
    {
        var now = DateTimeOffset.UtcNow;
        var root = X509KeyFactory.CreateRoot("CN=Short Root", X509Algorithm.EcdsaP256, now.AddDays(-1), now.AddDays(30));
        var leaf = X509KeyFactory.CreateIssued(root, "CN=Long Leaf", X509Algorithm.EcdsaP256, false, now.AddDays(-1), now.AddYears(3));

        leaf.NotAfter.ShouldBe(root.NotAfter);
        using var dir = new TempDirectory();
        File.WriteAllText(dir["root.pem"], X509KeyFactory.ToPem(root.CertificateDer));
        File.WriteAllText(dir["leaf.pem"], X509KeyFactory.ToPem(leaf.CertificateDer));
        var rootEnd = await Tool.RunOkAsync("openssl", "x509", "-in", dir["root.pem"], "-noout", "-enddate");
        var leafEnd = await Tool.RunOkAsync("openssl", "x509", "-in", dir["leaf.pem"], "-noout", "-enddate");
        leafEnd.ShouldBe(rootEnd);
        (await Tool.RunOkAsync("openssl", "verify", "-CAfile", dir["root.pem"], dir["leaf.pem"])).ShouldContain("OK");
    }

    [Fact]
    public void A_leaf_cannot_issue_certificates()
    {
        using var pki = new TestPki(X509Algorithm.EcdsaP256, X509Algorithm.EcdsaP256);
        var now = DateTimeOffset.UtcNow;

        var error = Should.Throw<X509SigningException>(() =>
            X509KeyFactory.CreateIssued(pki.Leaf, "CN=Child", X509Algorithm.EcdsaP256, false, now, now.AddDays(1)));
        error.Message.ShouldContain("is not a CA certificate");
    }

    [Fact]
    public void A_malformed_subject_is_refused_with_an_example()
    {
        var now = DateTimeOffset.UtcNow;
        Should.Throw<X509SigningException>(() => X509KeyFactory.CreateRoot("", X509Algorithm.EcdsaP256, now, now.AddDays(1)))
            .Message.ShouldContain("CN=");
        Should.Throw<X509SigningException>(() => X509KeyFactory.CreateRoot("CN=Backwards", X509Algorithm.EcdsaP256, now, now.AddDays(-1)))
            .Message.ShouldContain("validity period is empty");
    }
}
