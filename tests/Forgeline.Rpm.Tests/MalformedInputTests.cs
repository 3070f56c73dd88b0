using System.Buffers.Binary;

namespace Forgeline.Rpm.Tests;

/// <summary>Feeds broken packages to <see cref="RpmPackage.Read"/> and expects a clear <see cref="RpmFormatException"/>.</summary>
[Collection(BuiltPackagesCollection.Name)]
public sealed class MalformedInputTests(BuiltPackages packages)
{
    private const int SignatureStart = RpmLead.Size;

    [Fact]
    public void EmptyFile() => Fails([], "not an RPM package: the file is empty");

    [Fact]
    public void GzipFile() =>
        Fails([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3], "not an RPM package: lead magic is 1f8b0800, expected edabeedb (looks like a gzip file)");

    [Fact]
    public void HtmlErrorPage() =>
        Fails("<!DOCTYPE html><html>404</html>"u8.ToArray(), "looks like HTML");

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(95)]
    public void TruncatedInTheLead(int length) =>
        Fails(Original()[..length], $"the file ends after {length} bytes, inside the 96-byte lead");

    [Fact]
    public void TruncatedInTheSignaturePreamble() =>
        Fails(Original()[..(SignatureStart + 8)], "8 bytes into the 16-byte preamble of the signature header");

    [Fact]
    public void TruncatedInTheSignatureIndex() =>
        Fails(Original()[..(SignatureStart + 16 + 40)], "the signature header index claims 7 entries but the file ends after 2");

    [Fact]
    public void TruncatedInTheSignatureData()
    {
        RpmPackage package = Package();
        int end = SignatureStart + package.Signature.RawBytes.Length;
        Fails(Original()[..(end - 100)], "the signature header data store claims");
    }

    [Fact]
    public void TruncatedInTheSignaturePadding()
    {
        RpmPackage package = Package();
        RpmPackage.SignaturePadding(package.Signature.RawBytes.Length).ShouldBeGreaterThan(0);
        Fails(Original()[..((int)package.HeaderOffset - 1)], "in the padding after the signature header");
    }

    [Fact]
    public void TruncatedInTheMainHeaderPreamble() =>
        Fails(Original()[..((int)Package().HeaderOffset + 10)], "10 bytes into the 16-byte preamble of the main header");

    [Fact]
    public void TruncatedInTheMainHeaderIndex() =>
        Fails(Original()[..((int)Package().HeaderOffset + 16 + 165)], "the main header index claims");

    [Fact]
    public void TruncatedInTheMainHeaderData() =>
        Fails(Original()[..((int)Package().PayloadOffset - 1)], "the main header data store claims");

    [Fact]
    public void IndexCountBeyondTheEndOfTheFile()
    {
        byte[] bytes = Original()[..(SignatureStart + 16 + (40 * 16) + 3)];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(SignatureStart + 8), 200);
        Fails(bytes, "truncated RPM: the signature header index claims 200 entries but the file ends after 40");
    }

    [Fact]
    public void IndexCountAboveTheLimit()
    {
        byte[] bytes = Original();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan((int)Package().HeaderOffset + 8), int.MaxValue);
        Fails(bytes, "the main header claims 2147483647 index entries; at most 65535 are allowed");
    }

    [Fact]
    public void NegativeIndexCount()
    {
        byte[] bytes = Original();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(SignatureStart + 8), -1);
        Fails(bytes, "claims 4294967295 index entries");
    }

    [Fact]
    public void IndexCountOneTooHigh()
    {
        byte[] bytes = Original();
        int offset = (int)Package().HeaderOffset + 8;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(offset), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset)) + 1);
        Fails(bytes, "main header");
    }

    [Fact]
    public void DataSizeAboveTheLimit()
    {
        byte[] bytes = Original();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(SignatureStart + 12), 300 * 1024 * 1024);
        Fails(bytes, "a 314572800-byte data store; at most 268435456 bytes are allowed");
    }

    [Fact]
    public void HugeDataSizeInASmallFileIsReportedAsTruncation()
    {
        byte[] bytes = Original();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(SignatureStart + 12), 200_000_000);
        string expected = "the signature header data store claims 200000000 bytes but the file ends after";
        Fails(bytes, expected);
        Should.Throw<RpmFormatException>(() => RpmPackage.Read(new ForwardOnlyStream(bytes))).Message.ShouldContain(expected);
    }

    [Fact]
    public void EntryOffsetOutsideTheDataStore()
    {
        byte[] bytes = Original();
        int firstTagAfterRegion = (int)Package().HeaderOffset + 16 + 16;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(firstTagAfterRegion + 8), 1_000_000);
        Fails(bytes, "main header entry 1 (tag 100) has data offset 1000000, outside the");
    }

    [Fact]
    public void UnknownDataType()
    {
        byte[] bytes = Original();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan((int)Package().HeaderOffset + 16 + 16 + 4), 42);
        Fails(bytes, "main header entry 1 (tag 100) has unknown data type 42");
    }

    [Fact]
    public void DamagedRegionTrailer()
    {
        RpmPackage package = Package();
        byte[] bytes = Original();
        int trailer = (int)package.PayloadOffset - 16;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(trailer + 8), -16 * 100_000);
        Fails(bytes, "the main header region trailer describes");
    }

    [Fact]
    public void ForeignHeaderMagic()
    {
        byte[] bytes = Original();
        bytes[(int)Package().HeaderOffset] = 0x00;
        Fails(bytes, $"the main header at byte {Package().HeaderOffset} starts with 00ade801, expected header magic 8eade801");
    }

    [Fact]
    public void LeadVersion2IsRejected()
    {
        byte[] bytes = Original();
        bytes[4] = 2;
        Fails(bytes, "RPM v2 packages are not supported (lead version 2.0)");
    }

    [Fact]
    public void UnknownSignatureTypeIsRejected()
    {
        byte[] bytes = Original();
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(78), 1);
        Fails(bytes, "RPM signature type 1 is not supported");
    }

    [Fact]
    public void V3PackageWithoutImmutableRegionIsRejected()
    {
        RpmPackage package = Package();
        var legacy = new RpmHeader();
        legacy.SetString(RpmTag.Name, "old");
        legacy.SetString(RpmTag.Version, "1");
        legacy.SetString(RpmTag.Release, "1");
        legacy.SetString(RpmTag.Arch, "i386");
        using var bytes = new MemoryStream();
        package.Lead.WriteTo(bytes);
        package.Signature.WriteTo(bytes);
        bytes.Write(new byte[RpmPackage.SignaturePadding(package.Signature.RawBytes.Length)]);
        legacy.WriteTo(bytes);

        Fails(bytes.ToArray(), "RPM v3 packages are not supported");
    }

    [Fact]
    public void MissingNameTag()
    {
        RpmPackage package = Package();
        RpmHeader header = package.Header.Clone();
        header.Remove(RpmTag.Name);
        using var bytes = new MemoryStream();
        package.Lead.WriteTo(bytes);
        package.Signature.WriteTo(bytes);
        bytes.Write(new byte[RpmPackage.SignaturePadding(package.Signature.RawBytes.Length)]);
        header.WriteTo(bytes);

        Fails(bytes.ToArray(), "the main header has no NAME tag");
    }

    private static void Fails(byte[] bytes, string expectedMessagePart)
    {
        RpmFormatException error = Should.Throw<RpmFormatException>(() => RpmPackage.Read(new MemoryStream(bytes)));
        error.Message.ShouldContain(expectedMessagePart);
    }

    private byte[] Original() => File.ReadAllBytes(packages.PathOf("epoch-binary"));

    private RpmPackage Package() => packages.Read("epoch-binary");
}
