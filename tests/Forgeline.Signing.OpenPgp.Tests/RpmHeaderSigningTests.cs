using Forgeline.Rpm;
using Forgeline.Signing.OpenPgp.Tests.Support;

namespace Forgeline.Signing.OpenPgp.Tests;

/// <summary>Header signatures made remotely and applied locally, judged by rpm 4.18's rpmkeys -Kv.</summary>
[Collection(RpmPackagesCollection.Name)]
public sealed class RpmHeaderSigningTests(RpmTestPackages packages)
{
    public static TheoryData<OpenPgpAlgorithm, string> Cases => new()
    {
        { OpenPgpAlgorithm.Rsa4096, RpmTestPackages.Binary },
        { OpenPgpAlgorithm.Rsa3072, RpmTestPackages.Binary },
        { OpenPgpAlgorithm.Rsa2048, RpmTestPackages.Source },
        { OpenPgpAlgorithm.Ed25519, RpmTestPackages.Binary },
        { OpenPgpAlgorithm.Ed25519, RpmTestPackages.Source },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rpmkeys_accepts_the_header_signature_and_the_package_is_otherwise_unchanged(OpenPgpAlgorithm algorithm, string kind)
    {
        string input = packages.PathOf(kind);
        OpenPgpKeyMaterial key = TestKeys.Material(algorithm);
        string output = Sign(input, TestKeys.Signer(algorithm));
        string db = await packages.KeyringAsync(key.ArmoredPublicKey);

        ToolResult check = await Tools.RunAsync("rpmkeys", ["--dbpath", db, "-Kv", output]);

        check.ExitCode.ShouldBe(0, check.Output);
        string kindName = algorithm == OpenPgpAlgorithm.Ed25519 ? "EdDSA" : "RSA";
        check.Stdout.ShouldContain($"Header V4 {kindName}/SHA256 Signature, key ID {key.KeyId[8..].ToLowerInvariant()}: OK");
        check.Stdout.ShouldContain("Header SHA256 digest: OK");
        check.Stdout.ShouldContain("Payload SHA256 digest: OK");
        check.Stdout.ShouldContain("MD5 digest: OK");

        ToolResult query = await Tools.RunAsync("rpm", ["--dbpath", db, "-qp", "--qf", "%{NEVRA} %{SIGPGP:pgpsig}%{DSAHEADER:pgpsig}%{RSAHEADER:pgpsig}", output]);
        query.ExitCode.ShouldBe(0, query.Output);
        query.Stdout.ShouldStartWith(await NevraAsync(input));
        query.Stdout.ShouldContain($"Key ID {key.KeyId.ToLowerInvariant()}");

        byte[] before = await File.ReadAllBytesAsync(input);
        byte[] after = await File.ReadAllBytesAsync(output);
        RpmPackage original = RpmPackage.Read(new MemoryStream(before));
        RpmPackage signed = RpmPackage.Read(new MemoryStream(after));
        signed.Signature.RawBytes.Length.ShouldBe(original.Signature.RawBytes.Length, "RESERVEDSPACE absorbs the signature, as with rpmsign");
        signed.Signature.GetBinary(RpmSignatureTag.ReservedSpace)!.Length.ShouldBeLessThan(original.Signature.GetBinary(RpmSignatureTag.ReservedSpace)!.Length);
        after.AsSpan(0, RpmLead.Size).SequenceEqual(before.AsSpan(0, RpmLead.Size)).ShouldBeTrue("the lead is copied verbatim");
        after.AsSpan((int)signed.HeaderOffset).SequenceEqual(before.AsSpan((int)original.HeaderOffset)).ShouldBeTrue("main header and payload are copied verbatim");
        int expectedTag = algorithm == OpenPgpAlgorithm.Ed25519 ? RpmSignatureTag.Dsa : RpmSignatureTag.Rsa;
        signed.Signature.Contains(expectedTag).ShouldBeTrue();
        signed.Signature.Contains(expectedTag == RpmSignatureTag.Rsa ? RpmSignatureTag.Dsa : RpmSignatureTag.Rsa).ShouldBeFalse();
    }

    [Theory]
    [InlineData(OpenPgpAlgorithm.Rsa2048, OpenPgpAlgorithm.Ed25519)]
    [InlineData(OpenPgpAlgorithm.Ed25519, OpenPgpAlgorithm.Rsa2048)]
    [InlineData(OpenPgpAlgorithm.Rsa2048, OpenPgpAlgorithm.Rsa2048)]
    public async Task Signing_again_with_a_second_key_replaces_the_first_signature(OpenPgpAlgorithm first, OpenPgpAlgorithm second)
    {
        OpenPgpKeyMaterial firstKey = TestKeys.Material(first);
        OpenPgpKeyMaterial secondKey = TestKeys.SecondMaterial(second);
        using OpenPgpPrivateKey secondSigner = OpenPgpPrivateKey.Load(secondKey.SecretKey);
        string once = Sign(packages.BinaryPath, TestKeys.Signer(first));
        string twice = Sign(once, secondSigner);
        string db = await packages.KeyringAsync(firstKey.ArmoredPublicKey, secondKey.ArmoredPublicKey);

        ToolResult check = await Tools.RunAsync("rpmkeys", ["--dbpath", db, "-Kv", twice]);

        check.ExitCode.ShouldBe(0, check.Output);
        check.Stdout.ShouldContain($"key ID {secondKey.KeyId[8..].ToLowerInvariant()}: OK");
        check.Stdout.ShouldNotContain(firstKey.KeyId[8..].ToLowerInvariant());
        check.Stdout.Split('\n').Count(l => l.Contains("Signature, key ID", StringComparison.Ordinal)).ShouldBe(1, check.Stdout);
        RpmPackage original = RpmPackage.Read(new MemoryStream(await File.ReadAllBytesAsync(packages.BinaryPath)));
        RpmPackage resigned = RpmPackage.Read(new MemoryStream(await File.ReadAllBytesAsync(twice)));
        resigned.Signature.RawBytes.Length.ShouldBe(original.Signature.RawBytes.Length);
    }

    [Fact]
    public async Task A_package_without_the_public_key_in_the_rpmdb_is_reported_as_nokey_so_the_check_above_is_meaningful()
    {
        string output = Sign(packages.BinaryPath, TestKeys.Signer(OpenPgpAlgorithm.Ed25519));
        string db = await packages.KeyringAsync(TestKeys.SecondMaterial(OpenPgpAlgorithm.Ed25519).ArmoredPublicKey);

        ToolResult check = await Tools.RunAsync("rpmkeys", ["--dbpath", db, "-Kv", output]);

        check.ExitCode.ShouldNotBe(0, check.Output);
        check.Stdout.ShouldContain("NOKEY");
    }

    private string Sign(string input, OpenPgpPrivateKey signer)
    {
        byte[] header;
        using (FileStream stream = File.OpenRead(input))
        {
            header = RpmSignatureApplier.ReadHeaderForSigning(stream);
        }

        byte[] signature = signer.SignRpmHeader(header, DateTimeOffset.UtcNow);
        string output = packages.NewPath(Path.GetFileName(input));
        using (FileStream source = File.OpenRead(input))
        using (FileStream destination = File.Create(output))
        {
            RpmSignatureApplier.Apply(source, signature, destination);
        }

        return output;
    }

    private static async Task<string> NevraAsync(string file) =>
        (await Tools.RunCheckedAsync("rpm", "-qp", "--nosignature", "--qf", "%{NEVRA}", file)).Stdout;
}
