using Forgeline.Testing;
using Forgeline.Testing.BuildRoots;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// <c>forgeline sign rpm</c> refuses exactly the packages rpmsign (rpm 4.18) refuses: each corruption of rpm's own test
/// suite is made on a real package, given to rpmsign and to the CLI, and both must leave the file as it was.
/// </summary>
public sealed class CorruptRpmSigningTests(SigningServerFixture fixture) : IClassFixture<SigningServerFixture>
{
    private ForgelineServer Server => fixture.Server;

    // What rpmsign --addsign printed for each (rpm 4.18.0, Debian), exit code 1 and the file unchanged every time:
    //   PayloadByte:        error: not signing corrupt package X: Payload SHA256 ALT digest: BAD (Expected … != …)
    //   HeaderByte:         error: not signing corrupt package X: Header SHA256 digest: BAD (Expected … != …)
    //   SignatureDigest:    error: not signing corrupt package X: Header SHA256 digest: BAD (Expected … != …)
    //   Md5OnlyPayloadByte: error: not signing corrupt package X: MD5 digest: BAD (Expected … != …)
    //   Truncated:          error: not signing corrupt package X: Payload SHA256 ALT digest: BAD (Expected … != …)
    // (rpm names the payload digest "ALT" when its first try fails; Forgeline names the digest the package records.)
    [Theory]
    [InlineData(RpmCorruption.PayloadByte, "Payload SHA256 digest")]
    [InlineData(RpmCorruption.HeaderByte, "Header SHA256 digest")]
    [InlineData(RpmCorruption.SignatureDigest, "Header SHA256 digest")]
    [InlineData(RpmCorruption.Md5OnlyPayloadByte, "MD5 digest")]
    [InlineData(RpmCorruption.Truncated, "Payload SHA256 digest")]
    public async Task A_package_rpmsign_refuses_as_corrupt_is_refused_and_left_unchanged(RpmCorruption corruption, string digest)
    {
        var good = await BuildAsync($"corrupt{corruption.ToString().ToLowerInvariant()}");
        var ours = Server.Home[$"corrupt-{corruption}.rpm"];
        CorruptRpms.Write(good, corruption, ours);
        var theirs = ours + ".rpmsign.rpm";
        File.Copy(ours, theirs);
        var original = await File.ReadAllBytesAsync(ours);

        var rpmsign = await RpmsignAsync(theirs);
        rpmsign.ExitCode.ShouldNotBe(0);
        rpmsign.Output.ShouldContain("not signing corrupt package");
        (await File.ReadAllBytesAsync(theirs)).ShouldBe(original);

        var (code, stdout, stderr) = await Server.CliAsync(["sign", "rpm", "--key", "rpm-rsa", ours], fixture.PackagerToken);

        code.ShouldBe(1, stdout + stderr);
        stderr.ShouldContain($"{ours}: not signing a corrupt package: {digest}: BAD (expected ");
        stderr.ShouldContain("the file was not changed");
        stdout.ShouldNotContain("signed ");
        (await File.ReadAllBytesAsync(ours)).ShouldBe(original);
    }

    [Fact]
    public async Task Good_packages_are_signed_like_rpmsign_signs_them_also_with_only_an_md5_digest()
    {
        var good = await BuildAsync("intactsign");
        var md5Only = Server.Home["intact-md5only.rpm"];
        await File.WriteAllBytesAsync(md5Only, CorruptRpms.Md5Only(good));
        foreach (var package in new[] { good, md5Only })
        {
            var theirs = package + ".rpmsign.rpm";
            File.Copy(package, theirs);
            var rpmsign = await RpmsignAsync(theirs);
            rpmsign.ExitCode.ShouldBe(0, rpmsign.Output);

            var (code, stdout, stderr) = await Server.CliAsync(["sign", "rpm", "--key", "rpm-rsa", package], fixture.PackagerToken);

            code.ShouldBe(0, stdout + stderr);
            var keys = await fixture.RpmKeysAsync(package);
            keys.ShouldContain($"Header V4 RSA/SHA256 Signature, key ID {fixture.RsaKeyId[^8..].ToLowerInvariant()}: OK");
            keys.ShouldNotContain("BAD");
            keys.ShouldContain("MD5 digest: OK");
        }
    }

    private async Task<string> BuildAsync(string name) =>
        (await NoarchRpms.BuildAsync(Server.Home[$"rpms-{name}"], $"{name}-set", [name]))[0];

    private async Task<(int ExitCode, string Output)> RpmsignAsync(string package)
    {
        var key = await TestSigningKey.CreateAsync(Server.Home[$"gnupg-rpmsign-{Guid.NewGuid():N}"], "Rpmsign Comparison <rpmsign@test.invalid>");
        // Debian's rpm has no working default %__gpg; without the define rpmsign fails to start gpg.
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("rpmsign",
            ["--addsign", "--define", "__gpg /usr/bin/gpg", "--define", $"_gpg_name {key.UserId}", package],
            environment: new Dictionary<string, string?> { ["GNUPGHOME"] = key.Home, ["LC_ALL"] = "C" });
        await ProcessRunner.RunAsync("gpgconf", ["--kill", "all"], environment: new Dictionary<string, string?> { ["GNUPGHOME"] = key.Home });
        return (code, stdout + stderr);
    }
}
