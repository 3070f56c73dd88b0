namespace Forgeline.Rpm.Tests;

/// <summary>Encodes and parses leads in memory.</summary>
public sealed class RpmLeadTests
{
    [Fact]
    public void ConstructedLeadRoundTrips()
    {
        var lead = new RpmLead(RpmPackageType.Source, 1, "foo-1.0-1");

        byte[] bytes = lead.ToBytes();
        RpmLead parsed = RpmLead.Parse(bytes);

        bytes.Length.ShouldBe(RpmLead.Size);
        bytes[..6].ShouldBe(new byte[] { 0xed, 0xab, 0xee, 0xdb, 3, 0 });
        parsed.Type.ShouldBe(RpmPackageType.Source);
        parsed.ArchNumber.ShouldBe((short)1);
        parsed.OsNumber.ShouldBe((short)1);
        parsed.Name.ShouldBe("foo-1.0-1");
        parsed.SignatureType.ShouldBe(RpmLead.HeaderSignatureType);
        parsed.ToBytes().ShouldBe(bytes);
    }

    [Fact]
    public void LongNamesAreCutToFitTheField()
    {
        var lead = new RpmLead(RpmPackageType.Binary, 1, new string('n', 100));

        RpmLead.Parse(lead.ToBytes()).Name.ShouldBe(new string('n', 65));
    }

    [Fact]
    public void ReadRejectsShortStreams()
    {
        Should.Throw<RpmFormatException>(() => RpmLead.Read(new MemoryStream(new byte[] { 0xed, 0xab, 0xee })))
            .Message.ShouldContain("inside the 96-byte lead");
    }

    [Fact]
    public void ParseNamesCommonForeignFormats()
    {
        Should.Throw<RpmFormatException>(() => RpmLead.Parse("!<arch>\ndebian-binary"u8)).Message.ShouldContain(".deb");
        Should.Throw<RpmFormatException>(() => RpmLead.Parse([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0])).Message.ShouldContain("xz");
        Should.Throw<RpmFormatException>(() => RpmLead.Parse([0x8e, 0xad, 0xe8, 0x01])).Message.ShouldContain("bare RPM header");
        Should.Throw<RpmFormatException>(() => RpmLead.Parse([1, 2])).Message.ShouldBe("not an RPM package: lead magic is 0102, expected edabeedb");
    }
}
