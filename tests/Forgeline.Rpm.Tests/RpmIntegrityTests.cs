using Forgeline.Testing;

namespace Forgeline.Rpm.Tests;

/// <summary>
/// <see cref="RpmIntegrity"/> on real packages damaged as rpm's test suite damages them, each compared with what
/// <c>rpmkeys -Kv</c> (rpm 4.18) says about the very same file.
/// </summary>
public sealed class RpmIntegrityTests(RpmIntegrityTests.Packages packages) : IClassFixture<RpmIntegrityTests.Packages>
{
    /// <summary>One good noarch RPM built with rpmbuild for the whole class.</summary>
    public sealed class Packages : IAsyncLifetime
    {
        /// <summary>Scratch space.</summary>
        public TempDirectory Dir { get; } = new("forgeline-rpm-integrity");

        /// <summary>The good package.</summary>
        public string Good { get; private set; } = "";

        /// <inheritdoc />
        public async Task InitializeAsync() => Good = (await NoarchRpms.BuildAsync(Dir["rpms"], "integrity", ["intact"]))[0];

        /// <inheritdoc />
        public Task DisposeAsync()
        {
            Dir.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void A_package_as_rpmbuild_made_it_passes_every_check_rpmkeys_makes()
    {
        var report = RpmIntegrity.Check(packages.Good);

        report.IsIntact.ShouldBeTrue(report.Problem);
        report.Checks.Select(c => c.Name).ShouldBe(["Header SHA256 digest", "Header SHA1 digest", "Payload SHA256 digest", "MD5 digest", "Size"]);
        var rpmkeys = RpmCli.CheckDigests(packages.Good);
        rpmkeys.ExitCode.ShouldBe(0, rpmkeys.Output);
        foreach (var check in report.Checks.Where(c => c.Name != "Size"))
        {
            rpmkeys.Output.ShouldContain($"{check.Name}: OK");
        }
    }

    [Fact]
    public void A_package_with_only_an_md5_digest_is_checked_by_it()
    {
        var path = packages.Dir["md5only.rpm"];
        File.WriteAllBytes(path, CorruptRpms.Md5Only(packages.Good));

        var report = RpmIntegrity.Check(path);

        report.IsIntact.ShouldBeTrue(report.Problem);
        report.Checks.Select(c => c.Name).ShouldBe(["MD5 digest", "Size"]);
        var rpmkeys = RpmCli.CheckDigests(path);
        rpmkeys.ExitCode.ShouldBe(0, rpmkeys.Output);
        rpmkeys.Output.ShouldContain("MD5 digest: OK");
        rpmkeys.Output.ShouldNotContain("SHA");
    }

    // What rpmkeys -Kv (rpm 4.18) reports as BAD for each; Forgeline must find the same ones (plus the size when cut short).
    [Theory]
    [InlineData(RpmCorruption.PayloadByte, new[] { "Payload SHA256 digest", "MD5 digest" })]
    [InlineData(RpmCorruption.HeaderByte, new[] { "Header SHA256 digest", "Header SHA1 digest", "MD5 digest" })]
    [InlineData(RpmCorruption.SignatureDigest, new[] { "Header SHA256 digest" })]
    [InlineData(RpmCorruption.Md5OnlyPayloadByte, new[] { "MD5 digest" })]
    [InlineData(RpmCorruption.Truncated, new[] { "Payload SHA256 digest", "MD5 digest", "Size" })]
    public void A_damaged_package_fails_the_checks_rpmkeys_fails(RpmCorruption corruption, string[] failing)
    {
        var path = packages.Dir[$"{corruption}.rpm"];
        CorruptRpms.Write(packages.Good, corruption, path);

        var report = RpmIntegrity.Check(path);

        report.IsIntact.ShouldBeFalse();
        report.Failures.Select(c => c.Name).ShouldBe(failing);
        report.Problem.ShouldContain($"{failing[0]}: BAD (expected ");
        var rpmkeys = RpmCli.CheckDigests(path);
        rpmkeys.ExitCode.ShouldNotBe(0);
        foreach (var name in failing.Where(n => n != "Size"))
        {
            rpmkeys.Output.ShouldContain($"{name}: BAD");
        }

        foreach (var check in report.Checks.Where(c => c.Ok && c.Name != "Size"))
        {
            rpmkeys.Output.ShouldContain($"{check.Name}: OK");
        }
    }

    [Fact]
    public void The_payload_is_streamed_from_a_stream_that_cannot_seek()
    {
        using var forward = new ForwardOnlyStream(File.ReadAllBytes(packages.Good));

        RpmIntegrity.Check(forward).IsIntact.ShouldBeTrue();
    }
}
