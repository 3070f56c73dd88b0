namespace Forgeline.Rpm.Tests;

/// <summary>Writes real packages back with the same or a modified signature header and lets rpm judge the result.</summary>
[Collection(BuiltPackagesCollection.Name)]
public sealed class SignatureRewriteTests(BuiltPackages packages)
{
    [Theory]
    [MemberData(nameof(BuiltPackages.Keys), MemberType = typeof(BuiltPackages))]
    public void RewritingWithTheSameSignatureIsByteIdentical(string key)
    {
        byte[] original = File.ReadAllBytes(packages.PathOf(key));
        using var source = new MemoryStream(original);
        RpmPackage package = RpmPackage.Read(source);
        using var destination = new MemoryStream();

        RpmPackage.WriteWithSignature(source, package, package.Signature, destination);

        destination.ToArray().ShouldBe(original);
    }

    [Theory]
    [MemberData(nameof(BuiltPackages.Keys), MemberType = typeof(BuiltPackages))]
    public void EncodingReproducesRpmsOwnHeaderLayout(string key)
    {
        RpmPackage package = packages.Read(key);

        package.Signature.Encode().ShouldBe(package.Signature.RawBytes.ToArray());
        package.Header.Encode().ShouldBe(package.Header.RawBytes.ToArray());
        package.Signature.RegionTag.ShouldBe(RpmTag.HeaderSignatures);
        package.Header.RegionTag.ShouldBe(RpmTag.HeaderImmutable);
    }

    [Theory]
    [MemberData(nameof(BuiltPackages.Keys), MemberType = typeof(BuiltPackages))]
    public void RemovingTheSha256DigestStillGivesAPackageRpmAccepts(string key)
    {
        RpmPackage package = packages.Read(key);
        RpmHeader signature = package.Signature.Clone();
        signature.Remove(RpmSignatureTag.Sha256).ShouldBeTrue();
        signature.IsModified.ShouldBeTrue();

        string written = WriteWithSignature(key, package, signature);

        RpmCli.Query(written, "%{NEVRA}").ShouldBe(RpmCli.Query(packages.PathOf(key), "%{NEVRA}"));
        RpmCli.Result check = RpmCli.CheckDigests(written);
        check.ExitCode.ShouldBe(0, check.Output + check.Error);
        check.Output.ShouldNotContain("Header SHA256 digest");
        check.Output.ShouldContain("Header SHA1 digest: OK");
        check.Output.ShouldContain("MD5 digest: OK");

        RpmPackage reread = ReadFile(written);
        reread.Signature.Contains(RpmSignatureTag.Sha256).ShouldBeFalse();
        reread.Header.RawBytes.ToArray().ShouldBe(package.Header.RawBytes.ToArray());
        reread.Nevra.ShouldBe(package.Nevra);
    }

    [Theory]
    [MemberData(nameof(BuiltPackages.Keys), MemberType = typeof(BuiltPackages))]
    public void AddingTagsToTheSignatureStillGivesAPackageRpmAccepts(string key)
    {
        RpmPackage package = packages.Read(key);
        byte[] file = File.ReadAllBytes(packages.PathOf(key));
        RpmHeader signature = package.Signature.Clone();
        signature.SetInt64(RpmSignatureTag.LongSize, file.Length - package.HeaderOffset);
        signature.SetBinary(RpmSignatureTag.ReservedSpace, new byte[100]);

        string written = WriteWithSignature(key, package, signature);

        RpmCli.Query(written, "%{NAME}").ShouldBe(package.Name);
        RpmCli.Result check = RpmCli.CheckDigests(written);
        check.ExitCode.ShouldBe(0, check.Output + check.Error);
        check.Output.ShouldContain("Header SHA256 digest: OK");
        RpmPackage reread = ReadFile(written);
        reread.Signature.GetInt64(RpmSignatureTag.LongSize).ShouldBe(file.Length - package.HeaderOffset);
        reread.Signature.GetBinary(RpmSignatureTag.ReservedSpace)!.Length.ShouldBe(100);
        reread.PayloadOffset.ShouldBe(reread.HeaderOffset + package.Header.RawBytes.Length);
    }

    [Fact]
    public void AWrongDigestInTheNewSignatureIsCaughtByRpm()
    {
        RpmPackage package = packages.Read("epoch-binary");
        RpmHeader signature = package.Signature.Clone();
        signature.SetString(RpmSignatureTag.Sha256, new string('0', 64));

        string written = WriteWithSignature("epoch-binary", package, signature);

        RpmCli.Result check = RpmCli.CheckDigests(written);
        check.ExitCode.ShouldNotBe(0);
        check.Output.ShouldContain("Header SHA256 digest: BAD");
    }

    [Fact]
    public void ANonSeekableSourceIsCopiedFromItsCurrentPosition()
    {
        byte[] original = File.ReadAllBytes(packages.PathOf("plain-binary"));
        using var source = new ForwardOnlyStream(original);
        RpmPackage package = RpmPackage.Read(source);
        using var destination = new MemoryStream();

        RpmPackage.WriteWithSignature(source, package, package.Signature, destination);

        destination.ToArray().ShouldBe(original);
    }

    private static RpmPackage ReadFile(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return RpmPackage.Read(stream);
    }

    private string WriteWithSignature(string key, RpmPackage package, RpmHeader signature)
    {
        string output = packages.NewOutputPath(key);
        using (FileStream source = File.OpenRead(packages.PathOf(key)))
        using (FileStream destination = File.Create(output))
        {
            RpmPackage.WriteWithSignature(source, package, signature, destination);
        }

        return output;
    }
}
