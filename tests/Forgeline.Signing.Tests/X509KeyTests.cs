using Forgeline.Core;
using Forgeline.Core.Signing;
using Forgeline.Testing;

namespace Forgeline.Signing.Tests;

/// <summary>X.509 keys made inside the signer: a CA, an intermediate and a leaf whose chain openssl accepts.</summary>
public sealed class X509KeyTests
{
    [Fact]
    public async Task A_root_intermediate_and_leaf_form_a_chain_openssl_verifies()
    {
        await using var harness = await SigningHarness.CreateAsync();
        (await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("root", "x509", "rsa4096", Subject: "CN=Test Root", Ca: true), default))).IsSuccess.ShouldBeTrue();
        (await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("inter", "x509", "ecdsa-p256", Subject: "CN=Test Intermediate", Issuer: "root", Ca: true), default))).IsSuccess.ShouldBeTrue();
        var leaf = await harness.Keys(k => k.CreateAsync(new CreateKeyRequest("leaf", "x509", "rsa2048", Subject: "CN=Test Signing", Issuer: "inter"), default));
        leaf.IsSuccess.ShouldBeTrue(leaf.Message);
        leaf.Value!.Purposes.ShouldBe(["kmod", "efi"]);
        leaf.Value.Chain.Count.ShouldBe(2);

        await File.WriteAllTextAsync(harness.Home["leaf.pem"], leaf.Value.PublicKey);
        await File.WriteAllTextAsync(harness.Home["inter.pem"], leaf.Value.Chain[0]);
        await File.WriteAllTextAsync(harness.Home["root.pem"], leaf.Value.Chain[1]);
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("openssl", ["verify", "-CAfile", harness.Home["root.pem"], "-untrusted", harness.Home["inter.pem"], harness.Home["leaf.pem"]]);
        code.ShouldBe(0, stdout + stderr);

        var delete = await harness.Keys(k => k.DeleteAsync("inter", default));
        delete.Error.ShouldBe(ServiceError.Conflict);
        delete.Message!.ShouldContain("issued certificates");
        (await harness.Keys(k => k.DeleteAsync("leaf", default))).IsSuccess.ShouldBeTrue();
        (await harness.Keys(k => k.DeleteAsync("inter", default))).IsSuccess.ShouldBeTrue();
    }
}
