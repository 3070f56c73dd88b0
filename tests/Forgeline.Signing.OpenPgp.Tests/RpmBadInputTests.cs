using Forgeline.Rpm;
using Forgeline.Signing.OpenPgp.Tests.Support;

namespace Forgeline.Signing.OpenPgp.Tests;

/// <summary>Damaged packages and mismatched signatures give clear errors, and nothing is written to the destination.</summary>
[Collection(RpmPackagesCollection.Name)]
public sealed class RpmBadInputTests(RpmTestPackages packages)
{
    private static OpenPgpPrivateKey Signer => TestKeys.Signer(OpenPgpAlgorithm.Ed25519);

    [Fact]
    public void A_text_file_is_not_an_rpm()
    {
        byte[] text = "Name: not-a-package\nVersion: 1\n"u8.ToArray();

        RefusedByBoth<RpmFormatException>(text, ValidSignature()).ShouldContain("not an RPM package");
    }

    [Fact]
    public void A_package_cut_off_inside_the_main_header_is_truncated()
    {
        byte[] package = File.ReadAllBytes(packages.BinaryPath);
        RpmPackage parsed = RpmPackage.Read(new MemoryStream(package));
        byte[] cut = package[..(int)(parsed.HeaderOffset + 100)];

        RefusedByBoth<RpmFormatException>(cut, ValidSignature()).ShouldContain("truncated RPM");
    }

    [Fact]
    public void A_package_cut_off_inside_the_payload_is_truncated()
    {
        byte[] package = File.ReadAllBytes(packages.BinaryPath);
        byte[] cut = package[..^100];

        RefusedByBoth<RpmFormatException>(cut, ValidSignature()).ShouldContain("truncated RPM: the payload is");
    }

    [Fact]
    public void A_main_header_with_a_damaged_magic_is_corrupt()
    {
        byte[] package = File.ReadAllBytes(packages.BinaryPath);
        RpmPackage parsed = RpmPackage.Read(new MemoryStream(package));
        package[parsed.HeaderOffset + 1] ^= 0xFF;

        RefusedByBoth<RpmFormatException>(package, ValidSignature()).ShouldContain("expected header magic");
    }

    [Fact]
    public void A_main_header_with_an_impossible_data_offset_is_corrupt()
    {
        byte[] package = File.ReadAllBytes(packages.BinaryPath);
        RpmPackage parsed = RpmPackage.Read(new MemoryStream(package));
        int secondEntryOffset = (int)parsed.HeaderOffset + 16 + 16 + 8;
        package[secondEntryOffset] = 0x7F; // data offset of index entry 1 far beyond the data store

        RefusedByBoth<RpmFormatException>(package, ValidSignature()).ShouldContain("corrupt RPM");
    }

    [Fact]
    public void A_main_header_without_the_immutable_region_is_a_v3_package()
    {
        byte[] package = File.ReadAllBytes(packages.BinaryPath);
        RpmPackage parsed = RpmPackage.Read(new MemoryStream(package));
        byte[] plainEntry = [0, 0, 0x03, 0xE8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // tag 1000, no data: what remains when region 63 is absent
        plainEntry.CopyTo(package, (int)parsed.HeaderOffset + 16);

        RefusedByBoth<RpmFormatException>(package, ValidSignature()).ShouldContain("RPM v3 packages are not supported");
    }

    [Fact]
    public void A_signature_made_for_another_package_is_refused_before_writing()
    {
        byte[] header = RpmSignatureApplier.ReadHeaderForSigning(new MemoryStream(File.ReadAllBytes(packages.SourcePath)));
        byte[] foreign = Signer.SignRpmHeader(header, DateTimeOffset.UtcNow);

        string path = packages.NewPath("never-written.rpm");
        using (FileStream destination = File.Create(path))
        {
            using var source = new MemoryStream(File.ReadAllBytes(packages.BinaryPath));
            Should.Throw<OpenPgpRequestException>(() => RpmSignatureApplier.Apply(source, foreign, destination))
                .Message.ShouldContain("not made over this package's main header");
        }

        new FileInfo(path).Length.ShouldBe(0);
    }

    [Fact]
    public void Bytes_that_are_not_a_signature_packet_are_refused_before_writing()
    {
        using var destination = new MemoryStream();

        Should.Throw<OpenPgpFormatException>(() => RpmSignatureApplier.Apply(new MemoryStream(File.ReadAllBytes(packages.BinaryPath)), "signature"u8.ToArray(), destination))
            .Message.ShouldContain("not OpenPGP data");
        Should.Throw<OpenPgpFormatException>(() => RpmSignatureApplier.Apply(new MemoryStream(File.ReadAllBytes(packages.BinaryPath)), Signer.SignMessage("x"u8, DateTimeOffset.UtcNow), destination))
            .Message.ShouldContain("exactly one OpenPGP signature packet");
        destination.Length.ShouldBe(0);
    }

    [Fact]
    public void The_signer_refuses_a_signature_header_and_bytes_that_are_no_header()
    {
        RpmPackage parsed = RpmPackage.Read(new MemoryStream(File.ReadAllBytes(packages.BinaryPath)));

        Should.Throw<OpenPgpRequestException>(() => Signer.SignRpmHeader(parsed.Signature.RawBytes.Span, DateTimeOffset.UtcNow))
            .Message.ShouldContain("not a package's main header (region tag 62");
        Should.Throw<RpmFormatException>(() => Signer.SignRpmHeader("just some text, not a header"u8, DateTimeOffset.UtcNow))
            .Message.ShouldContain("expected header magic");
        Should.Throw<RpmFormatException>(() => Signer.SignRpmHeader(parsed.Header.RawBytes.Span[..^1], DateTimeOffset.UtcNow))
            .Message.ShouldContain("corrupt RPM");
    }

    private byte[] ValidSignature() =>
        Signer.SignRpmHeader(RpmSignatureApplier.ReadHeaderForSigning(new MemoryStream(File.ReadAllBytes(packages.BinaryPath))), DateTimeOffset.UtcNow);

    private static string RefusedByBoth<TException>(byte[] package, byte[] signature)
        where TException : Exception
    {
        Should.Throw<TException>(() => RpmSignatureApplier.ReadHeaderForSigning(new MemoryStream(package)));
        using var destination = new MemoryStream();
        string message = Should.Throw<TException>(() => RpmSignatureApplier.Apply(new MemoryStream(package), signature, destination)).Message;
        destination.Length.ShouldBe(0, "nothing may be written for a bad package");
        return message;
    }
}
