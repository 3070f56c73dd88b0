using System.Buffers.Binary;
using System.Security.Cryptography;
using Forgeline.Testing;

namespace Forgeline.Signing.X509.Tests;

/// <summary>Signing Debian's EFI binaries, checked by sbverify and osslsigncode, and compared with sbsign.</summary>
public sealed class AuthenticodeSignerTests(EfiInputs inputs) : IClassFixture<EfiInputs>, IDisposable
{
    private readonly TempDirectory _dir = new("forgeline-efi");

    public void Dispose() => _dir.Dispose();

    private TestPki Pki => inputs.Rsa;

    [Fact]
    public async Task An_unsigned_EFI_application_signed_here_verifies_with_sbverify_and_osslsigncode()
    {
        var original = File.ReadAllBytes(inputs.SystemdBoot);
        AuthenticodeSigner.IsSigned(original).ShouldBeFalse();

        var signed = Sign(original);

        var path = Write("systemd-boot.efi", signed);
        (await Tool.RunOkAsync("sbverify", "--cert", Pki.LeafPem, path)).ShouldContain("Signature verification OK");
        (await Tool.RunOkAsync("sbverify", "--cert", Pki.RootPem, path)).ShouldContain("Signature verification OK");
        var report = await Tool.RunOkAsync("osslsigncode", "verify", "-CAfile", Pki.RootPem, "-in", path);
        report.ShouldContain("Signature verification: ok");
        report.ShouldContain("Number of verified signatures: 1");
        report.ShouldContain("Succeeded");
        var digest = Convert.ToHexString(AuthenticodeSigner.ComputeDigest(signed, HashAlgorithmName.SHA256));
        report.ShouldContain($"Current message digest    : {digest}");
        report.ShouldContain($"Calculated message digest : {digest}");
        report.ShouldContain($"PE checksum   : {Checksum(signed):X8}");

        // Negative controls. sbverify --cert is no chain check: it accepts "unable to get local issuer certificate" (treated
        // like an expired certificate, which UEFI allows), so the chain is checked by osslsigncode against a stranger's root.
        using var stranger = new TestPki(X509Algorithm.Rsa2048, name: "Stranger");
        var (code, output) = await Tool.RunAsync("osslsigncode", "verify", "-CAfile", stranger.RootPem, "-in", path);
        code.ShouldNotBe(0, output);
        output.ShouldContain("Signature verification: failed");
        signed[signed.Length / 3] ^= 1;
        var tampered = Write("tampered.efi", signed);
        (code, output) = await Tool.RunAsync("sbverify", "--cert", Pki.LeafPem, tampered);
        code.ShouldNotBe(0, output);
        (code, output) = await Tool.RunAsync("osslsigncode", "verify", "-CAfile", Pki.RootPem, "-in", tampered);
        code.ShouldNotBe(0, output);
        output.ShouldContain("MISMATCH");
    }

    [Fact]
    public async Task The_image_digest_is_the_one_sbsign_signs()
    {
        var original = File.ReadAllBytes(inputs.SystemdBoot);
        var theirs = _dir["sbsign.efi"];
        await Tool.RunOkAsync("sbsign", "--key", Pki.WriteLeafKeyPem(), "--cert", Pki.LeafPem, "--addcert", Pki.IntermediatePem, "--output", theirs, inputs.SystemdBoot);

        var ours = Sign(original);

        var report = await Tool.RunOkAsync("osslsigncode", "verify", "-CAfile", Pki.RootPem, "-in", theirs);
        report.ShouldContain($"Current message digest    : {Convert.ToHexString(AuthenticodeSigner.ComputeDigest(ours, HashAlgorithmName.SHA256))}");
        BinaryPrimitives.ReadUInt32LittleEndian(ours.AsSpan(CertificateEntry(ours)))
            .ShouldBe(BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(theirs).AsSpan(CertificateEntry(ours))), "the signature starts at the same 8-aligned offset");
    }

    [Fact]
    public async Task A_binary_signed_by_Microsoft_is_re_signed_with_our_signature_alone()
    {
        var shim = File.ReadAllBytes(inputs.Shim);
        AuthenticodeSigner.IsSigned(shim).ShouldBeTrue();
        var before = await Tool.RunOkAsync("sbverify", "--list", inputs.Shim);
        before.ShouldContain("signature 2", Case.Sensitive, "Debian's shim carries two Microsoft signatures (UEFI CA 2011 and 2023)");
        before.ShouldContain("Microsoft Corporation UEFI CA 2011");

        var signed = Sign(shim);

        var path = Write("shim.efi", signed);
        (await Tool.RunOkAsync("sbverify", "--cert", Pki.LeafPem, path)).ShouldContain("Signature verification OK");
        var list = await Tool.RunOkAsync("sbverify", "--list", path);
        list.ShouldContain("signature 1");
        list.ShouldNotContain("signature 2");
        list.ShouldNotContain("Microsoft Corporation");
        var report = await Tool.RunOkAsync("osslsigncode", "verify", "-CAfile", Pki.RootPem, "-in", path);
        report.ShouldContain("Signature verification: ok");
        report.ShouldContain("Number of verified signatures: 1");
        report.ShouldContain($"Subject: /O=Forgeline Tests/CN={Pki.LeafCertificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false)}");
        report.ShouldNotContain("Microsoft Corporation");
        report.ShouldContain("Microsoft Individual Code Signing purpose", Case.Sensitive, "our SpcStatementType attribute");

        Sign(signed).ShouldBe(signed, "re-signing our own output replaces the signature with an identical one");
    }

    [Theory]
    [InlineData("text", "not a PE/COFF (EFI) binary: it does not start with the MZ header")]
    [InlineData("dos", "has an MZ header but no PE signature")]
    [InlineData("console", "not an EFI binary: subsystem 3 (Windows console)")]
    [InlineData("truncated", "the PE/COFF binary is truncated: section")]
    [InlineData("truncated-signed", "certificate table")]
    public void Bad_input_is_refused_with_a_clear_message(string kind, string message)
    {
        var efi = File.ReadAllBytes(inputs.SystemdBoot);
        var input = kind switch
        {
            "text" => "#!/bin/sh\necho not an EFI binary\n"u8.ToArray(),
            "dos" => Patched(efi, BinaryPrimitives.ReadInt32LittleEndian(efi.AsSpan(0x3C)), 0),
            "console" => Patched(efi, BinaryPrimitives.ReadInt32LittleEndian(efi.AsSpan(0x3C)) + 24 + 68, 3),
            "truncated" => efi[..(efi.Length / 2)],
            _ => File.ReadAllBytes(inputs.Shim)[..^100],
        };

        var error = Should.Throw<X509SigningException>(() => Sign(input));

        error.Message.ShouldContain(message);
    }

    private byte[] Sign(byte[] pe) =>
        AuthenticodeSigner.Sign(pe, Pki.LeafCertificate, [Pki.IntermediateCertificate], Pki.Server, HashAlgorithmName.SHA256);

    private string Write(string name, byte[] data)
    {
        File.WriteAllBytes(_dir[name], data);
        return _dir[name];
    }

    private static byte[] Patched(byte[] data, int offset, ushort value)
    {
        var copy = data.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private static int OptionalHeader(byte[] pe) => BinaryPrimitives.ReadInt32LittleEndian(pe.AsSpan(0x3C)) + 24;

    private static uint Checksum(byte[] pe) => BinaryPrimitives.ReadUInt32LittleEndian(pe.AsSpan(OptionalHeader(pe) + 64));

    private static int CertificateEntry(byte[] pe) => OptionalHeader(pe) + 112 + (4 * 8); // PE32+ data directory 4
}
