using Forgeline.Testing;

namespace Forgeline.Repositories.Tests;

/// <summary>
/// A package that was already corrupt when its digest was recorded (the artifact store's sha256 matches, rpm's own digests
/// do not) is never published: the publish fails naming it and the failed digest, and the previous generation stays served.
/// </summary>
[Collection("repositories")]
public sealed class CorruptPackagePublishTests(RepositoryPackagesFixture packages) : IDisposable
{
    private readonly TempDirectory dir = new("forgeline-repo-corrupt");

    private string Root => dir["repo"];

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(RpmCorruption.PayloadByte, "Payload SHA256 digest: BAD (expected ")]
    [InlineData(RpmCorruption.HeaderByte, "Header SHA256 digest: BAD (expected ")]
    [InlineData(RpmCorruption.Truncated, "Size: BAD (expected ")]
    public async Task A_corrupt_rpm_is_refused_by_name_and_digest_and_the_previous_generation_stays(RpmCorruption corruption, string problem)
    {
        var publisher = new RepositoryPublisher(Root);
        await publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignAsync, default);
        var before = Snapshot();
        var corrupt = dir["gamma-1.0-1.noarch.rpm"];
        CorruptRpms.Write(packages.Package("gamma").SourcePath, corruption, corrupt);
        // rpm agrees the file is damaged; the recorded sha256 is that of the damaged bytes, so only rpm's digests can tell.
        var rpmkeys = await ProcessRunner.RunAsync("rpmkeys", ["-Kv", "--nosignature", corrupt]);
        rpmkeys.ExitCode.ShouldNotBe(0);

        var error = await Should.ThrowAsync<RepositoryPublishException>(() => publisher.PublishAsync(
            [packages.Package("alpha"), packages.Package("beta"), new RepositoryPackage("gamma-1.0-1.noarch.rpm", corrupt, RepositoryPackagesFixture.Sha256Of(corrupt))],
            packages.SignAsync, default));

        error.Message.ShouldContain("gamma-1.0-1.noarch.rpm: not publishing a corrupt package: ");
        error.Message.ShouldContain(problem);
        error.Message.ShouldContain("Nothing was published");
        Snapshot().ShouldBe(before, "no pool file, generation or metadata of the failed publish is left");
        var served = ServedRepository.Check(Root);
        served.Generation.ShouldBe(1);
        served.FileNames.ShouldBe(["alpha-1.0-1.noarch.rpm", "beta-1.0-1.noarch.rpm"]);
    }

    private List<string> Snapshot() => Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories)
        .Select(p => new FileInfo(p))
        .Select(f => $"{Path.GetRelativePath(Root, f.FullName)} {f.LinkTarget ?? (f.Exists ? f.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : "dir")}")
        .Order(StringComparer.Ordinal)
        .ToList();
}
