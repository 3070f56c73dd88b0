using System.Buffers.Binary;

namespace Forgeline.Rpm.Tests;

/// <summary>Builds, edits and re-parses headers in memory.</summary>
public sealed class RpmHeaderTests
{
    [Fact]
    public void ValuesSurviveEncodeAndParse()
    {
        var header = new RpmHeader(RpmTag.HeaderSignatures);
        header.SetString(1000, "name");
        header.SetStringArray(1001, ["a", "", "ccc"]);
        header.SetI18nString(1004, "summary");
        header.SetInt32Array(1005, [1, -2, int.MaxValue]);
        header.SetInt64(1006, long.MinValue);
        header.SetBinary(1007, [1, 2, 3]);

        RpmHeader parsed = RpmHeader.Parse(header.Encode());

        parsed.RegionTag.ShouldBe(RpmTag.HeaderSignatures);
        parsed.Tags.ShouldBe([1000, 1001, 1004, 1005, 1006, 1007]);
        parsed.GetString(1000).ShouldBe("name");
        parsed.GetStringArray(1001).ShouldBe(["a", "", "ccc"]);
        parsed.GetI18nString(1004).ShouldBe("summary");
        parsed.GetInt32Array(1005).ShouldBe([1, -2, int.MaxValue]);
        parsed.GetInt64(1006).ShouldBe(long.MinValue);
        parsed.GetBinary(1007).ShouldBe([1, 2, 3]);
        parsed.GetCount(1001).ShouldBe(3);
        parsed.IsModified.ShouldBeFalse();
        parsed.ToBytes().ShouldBe(header.Encode());
    }

    [Fact]
    public void DataIsAlignedByTypeAndTheRegionTrailerCoversEveryEntry()
    {
        var header = new RpmHeader(RpmTag.HeaderImmutable);
        header.SetString(1000, "x");
        header.SetInt64(1001, 5);
        header.SetString(1002, "yz");
        header.SetInt32(1003, 7);

        byte[] bytes = header.Encode();
        int il = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        int dl = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        int[] offsets = Enumerable.Range(0, il).Select(i => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16 + (i * 16) + 8))).ToArray();

        il.ShouldBe(5);
        offsets.ShouldBe([dl - 16, 0, 8, 16, 20]);
        bytes.AsSpan(16 + (il * 16) + 2, 6).ToArray().ShouldAllBe(b => b == 0);
        int[] trailer = Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16 + (il * 16) + dl - 16 + (i * 4)))).ToArray();
        trailer.ShouldBe([RpmTag.HeaderImmutable, (int)RpmTagType.Binary, -il * 16, 16]);
    }

    [Fact]
    public void SetReplacesInPlaceAndRemoveReportsWhetherAnythingWentAway()
    {
        var header = new RpmHeader();
        header.SetString(2000, "b");
        header.SetString(1000, "a");
        header.SetInt32(2000, 3);

        header.Tags.ShouldBe([1000, 2000]);
        header.GetTagType(2000).ShouldBe(RpmTagType.Int32);
        header.Remove(1000).ShouldBeTrue();
        header.Remove(1000).ShouldBeFalse();
        header.Contains(1000).ShouldBeFalse();
        header.Tags.ShouldBe([2000]);
    }

    [Fact]
    public void UnmodifiedHeadersKeepTheirRawBytesAndClonesAreIndependent()
    {
        var built = new RpmHeader(RpmTag.HeaderSignatures);
        built.SetString(RpmSignatureTag.Sha1, "abc");
        byte[] raw = built.Encode();
        RpmHeader parsed = RpmHeader.Parse(raw);

        RpmHeader clone = parsed.Clone();
        clone.SetString(RpmSignatureTag.Sha256, "def");

        parsed.IsModified.ShouldBeFalse();
        parsed.Contains(RpmSignatureTag.Sha256).ShouldBeFalse();
        parsed.ToBytes().ShouldBe(raw);
        clone.IsModified.ShouldBeTrue();
        clone.RawBytes.ToArray().ShouldBe(raw);
        clone.ToBytes().ShouldNotBe(raw);
        RpmHeader.Read(new MemoryStream(clone.ToBytes())).GetString(RpmSignatureTag.Sha256).ShouldBe("def");
    }

    [Fact]
    public void ProgrammingErrorsAreArgumentExceptions()
    {
        var header = new RpmHeader();

        Should.Throw<ArgumentOutOfRangeException>(() => header.SetString(RpmTag.HeaderImmutable, "x"));
        Should.Throw<ArgumentException>(() => header.SetString(1000, "a\0b"));
        Should.Throw<ArgumentException>(() => header.SetStringArray(1000, []));
        Should.Throw<ArgumentException>(() => header.SetBinary(1000, []));
        Should.Throw<ArgumentOutOfRangeException>(() => new RpmHeader(1000));
    }

    [Fact]
    public void ParseRejectsBytesThatDoNotMatchThePreamble()
    {
        var header = new RpmHeader();
        header.SetString(1000, "a");
        byte[] bytes = [.. header.Encode(), 0];

        Should.Throw<RpmFormatException>(() => RpmHeader.Parse(bytes)).Message.ShouldContain("but its preamble describes");
        Should.Throw<RpmFormatException>(() => RpmHeader.Parse(bytes.AsSpan(0, 10))).Message.ShouldContain("shorter than its 16-byte preamble");
    }

    [Fact]
    public void OverlappingEntriesAreRejected()
    {
        var header = new RpmHeader();
        header.SetString(1000, "a");
        header.SetString(1001, "b");
        byte[] bytes = header.Encode();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16 + 16 + 8), 0);

        Should.Throw<RpmFormatException>(() => RpmHeader.Parse(bytes)).Message.ShouldContain("overlapping the previous entry");
    }
}
