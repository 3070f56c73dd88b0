using System.Security.Cryptography;
using Forgeline.Signing.OpenPgp.Signatures;

namespace Forgeline.Signing.OpenPgp.Tests;

/// <summary>Ed25519 signs through OpenSSL when the system has it; its signatures must be BouncyCastle's, byte for byte.</summary>
public sealed class Ed25519SignerTests
{
    [Fact]
    public void OpenSsl_and_BouncyCastle_make_the_same_signatures()
    {
        OpenSslEd25519.TryCreate(new byte[32]).ShouldNotBeNull("Debian 12 has libcrypto.so.3; without it the signer falls back to BouncyCastle");
        for (var i = 0; i < 20; i++)
        {
            var seed = RandomNumberGenerator.GetBytes(32);
            var publicKey = new byte[32];
            Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
            var digest = RandomNumberGenerator.GetBytes(i % 2 == 0 ? 32 : 64);
            using var viaOpenSsl = new Ed25519DigestSigner((byte[])seed.Clone(), publicKey);
            using var viaBouncyCastle = new Ed25519DigestSigner((byte[])seed.Clone(), publicKey, useOpenSsl: false);
            var a = viaOpenSsl.Sign(8, digest);
            var b = viaBouncyCastle.Sign(8, digest);
            a[0].ShouldBe(b[0]);
            a[1].ShouldBe(b[1]);
            Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Verify([.. a[0], .. a[1]], 0, publicKey, 0, digest, 0, digest.Length).ShouldBeTrue();
        }
    }

    [Fact]
    public void A_disposed_OpenSsl_signer_refuses_instead_of_using_freed_memory()
    {
        var signer = OpenSslEd25519.TryCreate(RandomNumberGenerator.GetBytes(32))!;
        signer.Dispose();
        Should.Throw<ObjectDisposedException>(() => signer.Sign(new byte[32]));
    }
}
