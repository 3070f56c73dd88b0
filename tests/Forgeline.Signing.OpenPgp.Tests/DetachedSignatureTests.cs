using System.Security.Cryptography;
using Forgeline.Signing.OpenPgp.Tests.Support;

namespace Forgeline.Signing.OpenPgp.Tests;

/// <summary>Remote detached signing end to end: the client prepares, the signer signs, gpg judges the result.</summary>
public sealed class DetachedSignatureTests : IDisposable
{
    private readonly GnuPgHome _gpg = new();

    [Theory]
    [MemberData(nameof(TestKeys.Algorithms), MemberType = typeof(TestKeys))]
    public async Task Gpg_verifies_binary_and_armored_signatures_of_a_multi_megabyte_file_and_rejects_a_flipped_byte(OpenPgpAlgorithm algorithm)
    {
        OpenPgpKeyMaterial material = TestKeys.Material(algorithm);
        await _gpg.ImportAsync(material.ArmoredPublicKey);
        OpenPgpPublicKeyInfo key = OpenPgpPublicKeyInfo.Parse(material.ArmoredPublicKey);
        string file = _gpg.File("artifact.bin");
        byte[] content = RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 17);
        await File.WriteAllBytesAsync(file, content);
        DateTimeOffset now = DateTimeOffset.UtcNow;

        OpenPgpPreparedSignature sha256;
        OpenPgpPreparedSignature sha512;
        await using (FileStream data = File.OpenRead(file))
        {
            sha256 = OpenPgpDetachedSignature.Prepare(key, data, now, HashAlgorithmName.SHA256);
        }

        await using (FileStream data = File.OpenRead(file))
        {
            sha512 = OpenPgpDetachedSignature.Prepare(key, data, now, HashAlgorithmName.SHA512);
        }

        byte[] binary = TestKeys.Signer(algorithm).SignPrepared(sha256, now);
        string armored = OpenPgpDetachedSignature.Armor(TestKeys.Signer(algorithm).SignPrepared(sha512, now));
        await File.WriteAllBytesAsync(_gpg.File("artifact.bin.sig"), binary);
        await File.WriteAllTextAsync(_gpg.File("artifact.bin.asc"), armored);
        armored.ShouldStartWith("-----BEGIN PGP SIGNATURE-----\n");

        foreach (string signature in new[] { "artifact.bin.sig", "artifact.bin.asc" })
        {
            ToolResult good = await _gpg.VerifyAsync(_gpg.File(signature), file);
            good.ExitCode.ShouldBe(0, good.Output);
            good.Stderr.ShouldContain($"Good signature from \"{material.UserId}\"");
            good.Stderr.ShouldContain(algorithm == OpenPgpAlgorithm.Ed25519 ? "using EDDSA key " + material.Fingerprint : "using RSA key " + material.Fingerprint);
        }

        content[content.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(file, content);
        foreach (string signature in new[] { "artifact.bin.sig", "artifact.bin.asc" })
        {
            ToolResult bad = await _gpg.VerifyAsync(_gpg.File(signature), file);
            bad.ExitCode.ShouldNotBe(0, bad.Output);
            bad.Stderr.ShouldContain("BAD signature");
        }
    }

    [Theory]
    [MemberData(nameof(TestKeys.Algorithms), MemberType = typeof(TestKeys))]
    public void The_client_side_check_agrees_with_gpg_on_good_and_tampered_data(OpenPgpAlgorithm algorithm)
    {
        OpenPgpPublicKeyInfo key = OpenPgpPublicKeyInfo.Parse(TestKeys.Material(algorithm).ArmoredPublicKey);
        byte[] data = RandomNumberGenerator.GetBytes(100_000);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        byte[] signature = TestKeys.Signer(algorithm).SignPrepared(
            OpenPgpDetachedSignature.Prepare(key, new MemoryStream(data), now, HashAlgorithmName.SHA256), now);
        OpenPgpPublicKeyInfo otherKey = OpenPgpPublicKeyInfo.Parse(TestKeys.SecondMaterial(OpenPgpAlgorithm.Ed25519).ArmoredPublicKey);

        OpenPgpDetachedSignature.Verify(key, new MemoryStream(data), signature).ShouldBeTrue();
        OpenPgpDetachedSignature.Verify(key, new MemoryStream(data), System.Text.Encoding.ASCII.GetBytes(OpenPgpDetachedSignature.Armor(signature))).ShouldBeTrue();
        OpenPgpDetachedSignature.Verify(otherKey, new MemoryStream(data), signature).ShouldBeFalse();
        data[0] ^= 0x80;
        OpenPgpDetachedSignature.Verify(key, new MemoryStream(data), signature).ShouldBeFalse();
    }

    [Fact]
    public void Armor_refuses_data_that_is_not_a_signature_packet()
    {
        byte[] secretKey = TestKeys.Material(OpenPgpAlgorithm.Ed25519).SecretKey;

        Should.Throw<OpenPgpFormatException>(() => OpenPgpDetachedSignature.Armor(secretKey)).Message.ShouldContain("not a signature packet");
        Should.Throw<OpenPgpFormatException>(() => OpenPgpDetachedSignature.Armor("plain text"u8.ToArray())).Message.ShouldContain("not OpenPGP data");
    }

    public void Dispose() => _gpg.Dispose();
}
