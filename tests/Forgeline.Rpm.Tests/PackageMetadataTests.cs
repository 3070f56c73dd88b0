using System.Security.Cryptography;

namespace Forgeline.Rpm.Tests;

/// <summary>Checks what <see cref="RpmPackage.Read"/> reports against rpm's own view of real packages.</summary>
[Collection(BuiltPackagesCollection.Name)]
public sealed class PackageMetadataTests(BuiltPackages packages)
{
    [Theory]
    [MemberData(nameof(BuiltPackages.Keys), MemberType = typeof(BuiltPackages))]
    public void MetadataAgreesWithRpmQuery(string key)
    {
        string file = packages.PathOf(key);
        string[] rpm = RpmCli.Query(file, "%{NAME}\n%{VERSION}\n%{RELEASE}\n%{EPOCH}\n%{ARCH}\n%{SOURCERPM}\n").Split('\n');

        RpmPackage package = packages.Read(key);

        package.Name.ShouldBe(rpm[0]);
        package.Version.ShouldBe(rpm[1]);
        package.Release.ShouldBe(rpm[2]);
        package.Epoch.ShouldBe(rpm[3] == "(none)" ? null : int.Parse(rpm[3]));
        package.Arch.ShouldBe(rpm[4]);
        package.IsSource.ShouldBe(rpm[5] == "(none)");
        package.IsSource.ShouldBe(file.EndsWith(".src.rpm", StringComparison.Ordinal));
        package.Lead.Type.ShouldBe(package.IsSource ? RpmPackageType.Source : RpmPackageType.Binary);
        package.Header.GetString(RpmTag.SourceRpm).ShouldBe(rpm[5] == "(none)" ? null : rpm[5]);
    }

    [Theory]
    [InlineData("epoch-binary", "fl-epoch-2:1.2.3-4.{arch}")]
    [InlineData("epoch-source", "fl-epoch-2:1.2.3-4.src")]
    [InlineData("plain-binary", "fl-plain-0.9~rc1-1.fl.noarch")]
    [InlineData("plain-source", "fl-plain-0.9~rc1-1.fl.src")]
    public void NevraUsesEpochOnlyWhenSetAndSrcForSourcePackages(string key, string expected)
    {
        RpmPackage package = packages.Read(key);
        string nativeArch = RpmCli.Query(packages.PathOf("epoch-binary"), "%{ARCH}");

        package.Nevra.ShouldBe(expected.Replace("{arch}", nativeArch, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BuiltPackages.Keys), MemberType = typeof(BuiltPackages))]
    public void LeadIsWhatRpm4Writes(string key)
    {
        RpmLead lead = packages.Read(key).Lead;

        lead.MajorVersion.ShouldBe((byte)3);
        lead.SignatureType.ShouldBe(RpmLead.HeaderSignatureType);
        lead.Name.ShouldStartWith(key.StartsWith("epoch", StringComparison.Ordinal) ? "fl-epoch-" : "fl-plain-");
    }

    [Theory]
    [MemberData(nameof(BuiltPackages.Keys), MemberType = typeof(BuiltPackages))]
    public void SignatureDigestsCoverTheRawHeaderBytesAndPayloadOffset(string key)
    {
        byte[] file = File.ReadAllBytes(packages.PathOf(key));
        RpmPackage package = packages.Read(key);
        byte[] header = package.Header.RawBytes.ToArray();

        file.AsSpan((int)package.HeaderOffset, header.Length).SequenceEqual(header).ShouldBeTrue();
        (package.HeaderOffset + header.Length).ShouldBe(package.PayloadOffset);
        package.HeaderOffset.ShouldBe(RpmLead.Size + package.Signature.RawBytes.Length
            + RpmPackage.SignaturePadding(package.Signature.RawBytes.Length));
        package.HeaderOffset.ShouldBe(package.HeaderOffset / 8 * 8);

        package.Signature.GetString(RpmSignatureTag.Sha256).ShouldBe(Convert.ToHexStringLower(SHA256.HashData(header)));
#pragma warning disable CA5350, CA5351 // rpm still writes these legacy digests; the test checks them, it does not rely on them.
        package.Signature.GetString(RpmSignatureTag.Sha1).ShouldBe(Convert.ToHexStringLower(SHA1.HashData(header)));
        package.Signature.GetBinary(RpmSignatureTag.Md5).ShouldBe(MD5.HashData(file.AsSpan((int)package.HeaderOffset)));
#pragma warning restore CA5350, CA5351
        package.Signature.GetInt32(RpmSignatureTag.Size).ShouldBe(file.Length - (int)package.HeaderOffset);
    }

    [Theory]
    [MemberData(nameof(BuiltPackages.Keys), MemberType = typeof(BuiltPackages))]
    public void PayloadOffsetPointsAtTheCompressedPayload(string key)
    {
        byte[] file = File.ReadAllBytes(packages.PathOf(key));
        RpmPackage package = packages.Read(key);
        string compressor = package.Header.GetString(RpmTag.PayloadCompressor) ?? "gzip";
        byte[] magic = compressor switch
        {
            "gzip" => [0x1f, 0x8b],
            "xz" or "lzma" => [0xfd, 0x37, 0x7a, 0x58],
            "zstd" => [0x28, 0xb5, 0x2f, 0xfd],
            "bzip2" => "BZh"u8.ToArray(),
            _ => throw new InvalidOperationException($"unexpected payload compressor {compressor}"),
        };

        file.AsSpan((int)package.PayloadOffset).StartsWith(magic).ShouldBeTrue();
        package.Header.GetString(RpmTag.PayloadFormat).ShouldBe("cpio");
    }

    [Fact]
    public void I18nStringsFallBackToTheUntranslatedValue()
    {
        RpmHeader header = packages.Read("epoch-binary").Header;

        header.GetTagType(RpmTag.Summary).ShouldBe(RpmTagType.I18nString);
        header.GetI18nString(RpmTag.Summary).ShouldBe("Forgeline test package with an epoch");
        header.GetI18nString(RpmTag.Summary, "de_DE.UTF-8").ShouldBe("Forgeline test package with an epoch");
        header.GetString(RpmTag.Summary).ShouldBe("Forgeline test package with an epoch");
        header.GetStringArray(RpmTag.HeaderI18nTable).ShouldBe(["C"]);
    }

    [Fact]
    public void TypedAccessorsReadArraysAndRejectTheWrongType()
    {
        RpmHeader header = packages.Read("epoch-binary").Header;

        header.GetStringArray(RpmTag.ProvideName).ShouldNotBeNull().ShouldContain("forgeline-test");
        header.GetStringArray(RpmTag.BaseNames).ShouldBe(["hello.txt"]);
        header.GetInt32Array(RpmTag.FileSizes).ShouldBe([6]);
        header.GetInt32(RpmTag.Epoch).ShouldBe(2);
        header.GetString(12345).ShouldBeNull();

        Should.Throw<RpmFormatException>(() => header.GetInt32(RpmTag.Name)).Message.ShouldContain("tag 1000 holds String data");
        Should.Throw<RpmFormatException>(() => header.GetBinary(RpmTag.Epoch)).Message.ShouldContain("not binary data");
        Should.Throw<RpmFormatException>(() => header.GetInt64(RpmTag.Epoch));
    }
}
