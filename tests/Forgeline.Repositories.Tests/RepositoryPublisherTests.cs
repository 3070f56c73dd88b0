using Forgeline.Repositories;
using Forgeline.Testing;

namespace Forgeline.Repositories.Tests;

/// <summary>Publishing with the real createrepo_c: content, removal, retention of old generations, bad input.</summary>
[Collection("repositories")]
public sealed class RepositoryPublisherTests(RepositoryPackagesFixture packages) : IDisposable
{
    private readonly TempDirectory dir = new("forgeline-repo");

    private string Root => dir["repo"];

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task A_publish_serves_exactly_the_packages_given_signed()
    {
        var publisher = new RepositoryPublisher(Root);

        var result = await publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignAsync, default);

        result.Generation.ShouldBe(1);
        (result.Added, result.Removed, result.Total).ShouldBe((2, 0, 2));
        result.CleanupProblem.ShouldBeNull();
        var served = ServedRepository.Check(Root);
        served.FileNames.ShouldBe(["alpha-1.0-1.noarch.rpm", "beta-1.0-1.noarch.rpm"]);
        (await packages.SignatureIsGoodAsync(Root)).ShouldBeTrue();
        result.RepomdSha256.ShouldBe(RepositoryPackagesFixture.Sha256Of(Path.Combine(Root, "repodata", "repomd.xml")));
    }

    [Fact]
    public async Task The_set_is_the_whole_content_so_a_package_left_out_leaves_the_repository()
    {
        var publisher = new RepositoryPublisher(Root);
        await publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta"), packages.Package("gamma")], packages.SignAsync, default);

        var result = await publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta"), packages.Package("delta")], packages.SignAsync, default);

        (result.Generation, result.Added, result.Removed, result.Total).ShouldBe((2, 1, 1, 3));
        ServedRepository.Check(Root).FileNames.ShouldBe(["alpha-1.0-1.noarch.rpm", "beta-1.0-1.noarch.rpm", "delta-1.0-1.noarch.rpm"]);
    }

    [Fact]
    public async Task An_empty_set_publishes_an_empty_repository()
    {
        var publisher = new RepositoryPublisher(Root);
        await publisher.PublishAsync([packages.Package("gamma")], packages.SignAsync, default);

        var result = await publisher.PublishAsync([], packages.SignAsync, default);

        (result.Total, result.Removed).ShouldBe((0, 1));
        ServedRepository.Check(Root).PackageLocations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Old_generations_stay_readable_for_a_while_then_they_and_their_packages_are_pruned()
    {
        var publisher = new RepositoryPublisher(Root, new RepositoryPublisherOptions { GenerationsKept = 3 });
        await publisher.PublishAsync([packages.Package("gamma")], packages.SignAsync, default);
        var first = ServedRepository.Check(Root);
        var gammaPool = Path.Combine(Root, first.PackageLocations.Single());

        await publisher.PublishAsync([packages.Package("delta")], packages.SignAsync, default);
        await publisher.PublishAsync([packages.Package("delta"), packages.Package("beta")], packages.SignAsync, default);

        // A dnf that fetched the first repomd.xml two publishes ago still gets the files it names, and gamma.
        foreach (var href in first.MetadataFiles.Append(first.PackageLocations.Single()))
        {
            publisher.Resolve(href).ShouldNotBeNull($"{href} of generation 1 must still be served");
        }

        await publisher.PublishAsync([packages.Package("delta"), packages.Package("beta")], packages.SignAsync, default);

        ServedRepository.Check(Root).Generation.ShouldBe(4);
        foreach (var href in first.MetadataFiles)
        {
            publisher.Resolve(href).ShouldBeNull($"{href} of generation 1 must be pruned once three newer generations exist");
        }

        File.Exists(gammaPool).ShouldBeFalse("a package no kept generation lists must be deleted");
        Directory.GetDirectories(Path.Combine(Root, ".generations")).Select(Path.GetFileName).Order().ShouldBe(["2", "3", "4"]);
    }

    [Fact]
    public async Task A_rebuilt_package_with_the_same_file_name_gets_its_own_metadata()
    {
        var publisher = new RepositoryPublisher(Root);
        await publisher.PublishAsync([packages.Package("beta")], packages.SignAsync, default);
        // The same file name, other content: createrepo_c --update would reuse the old entry by name.
        var rebuilt = dir["rebuilt/beta-1.0-1.noarch.rpm"];
        Directory.CreateDirectory(dir["rebuilt"]);
        File.Copy(packages.Package("gamma").SourcePath, rebuilt);

        await publisher.PublishAsync([new RepositoryPackage("beta-1.0-1.noarch.rpm", rebuilt, RepositoryPackagesFixture.Sha256Of(rebuilt))], packages.SignAsync, default);

        var served = ServedRepository.Check(Root);
        served.PackageLocations.Single().ShouldContain(RepositoryPackagesFixture.Sha256Of(rebuilt));
    }

    [Fact]
    public async Task A_tampered_artifact_is_refused_by_name_and_both_digests_and_nothing_changes()
    {
        var publisher = new RepositoryPublisher(Root);
        await publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignAsync, default);
        var before = Snapshot();
        var tampered = dir["tampered.rpm"];
        File.Copy(packages.Package("gamma").SourcePath, tampered);
        var recorded = RepositoryPackagesFixture.Sha256Of(tampered);
        await File.AppendAllTextAsync(tampered, "x");

        var error = await Should.ThrowAsync<RepositoryPublishException>(() => publisher.PublishAsync(
            [packages.Package("alpha"), packages.Package("beta"), new RepositoryPackage("gamma-1.0-1.noarch.rpm", tampered, recorded)], packages.SignAsync, default));

        error.Message.ShouldContain("gamma-1.0-1.noarch.rpm");
        error.Message.ShouldContain(recorded);
        error.Message.ShouldContain(RepositoryPackagesFixture.Sha256Of(tampered));
        Snapshot().ShouldBe(before);
        ServedRepository.Check(Root).Generation.ShouldBe(1);
    }

    [Fact]
    public async Task A_source_that_is_a_symlink_is_published_as_the_file_it_names()
    {
        var publisher = new RepositoryPublisher(Root);
        var beta = packages.Package("beta");
        var link = dir["beta-link.rpm"];
        File.CreateSymbolicLink(link, beta.SourcePath);

        await publisher.PublishAsync([beta with { SourcePath = link }], packages.SignAsync, default);

        var pooled = Path.Combine(Root, ServedRepository.Check(Root).PackageLocations.Single());
        new FileInfo(pooled).LinkTarget.ShouldBeNull("the pool holds files, not links to wherever the artifact was");
    }

    [Fact]
    public void Fewer_than_two_kept_generations_are_refused()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new RepositoryPublisher(Root, new RepositoryPublisherOptions { GenerationsKept = 1 }))
            .Message.ShouldContain("at least 2");
    }

    [Fact]
    public async Task A_missing_source_file_is_named()
    {
        var publisher = new RepositoryPublisher(Root);
        var gone = new RepositoryPackage("gamma-1.0-1.noarch.rpm", dir["nowhere/gamma-1.0-1.noarch.rpm"], packages.Package("gamma").Sha256);

        var error = await Should.ThrowAsync<RepositoryPublishException>(() => publisher.PublishAsync([gone], packages.SignAsync, default));

        error.Message.ShouldContain(gone.SourcePath);
        Directory.Exists(Path.Combine(Root, "repodata")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_file_that_is_not_an_rpm_fails_the_publish_by_name()
    {
        var publisher = new RepositoryPublisher(Root);
        await publisher.PublishAsync([packages.Package("alpha")], packages.SignAsync, default);
        var before = Snapshot();
        var junk = dir["junk-1.0-1.noarch.rpm"];
        await File.WriteAllTextAsync(junk, "not an rpm");

        var error = await Should.ThrowAsync<RepositoryPublishException>(() => publisher.PublishAsync(
            [packages.Package("alpha"), new RepositoryPackage("junk-1.0-1.noarch.rpm", junk, RepositoryPackagesFixture.Sha256Of(junk))], packages.SignAsync, default));

        error.Message.ShouldContain("junk-1.0-1.noarch.rpm: not a readable RPM");
        Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task Without_createrepo_c_the_error_says_to_install_it_and_the_repository_is_intact()
    {
        await new RepositoryPublisher(Root).PublishAsync([packages.Package("alpha")], packages.SignAsync, default);
        var before = Snapshot();
        var publisher = new RepositoryPublisher(Root, new RepositoryPublisherOptions { CreaterepoPath = "createrepo_c-not-installed" });

        var error = await Should.ThrowAsync<RepositoryPublishException>(() => publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignAsync, default));

        error.Message.ShouldContain("createrepo_c-not-installed");
        error.Message.ShouldContain("apt-get install createrepo-c");
        Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task A_failing_createrepo_c_is_reported_with_the_end_of_its_output()
    {
        await new RepositoryPublisher(Root).PublishAsync([packages.Package("alpha")], packages.SignAsync, default);
        var before = Snapshot();
        // The real program failing for real: its temporary output directory is taken (as by another createrepo_c).
        var publisher = new RepositoryPublisher(Root);
        publisher.StageHook = stage =>
        {
            if (stage == PublishStage.PoolFilled)
            {
                Directory.CreateDirectory(Path.Combine(Directory.GetDirectories(Path.Combine(Root, ".generations"), ".tmp-*").Single(), ".repodata"));
            }

            return Task.CompletedTask;
        };

        var error = await Should.ThrowAsync<RepositoryPublishException>(() => publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignAsync, default));

        error.Message.ShouldStartWith("createrepo_c failed with exit code");
        error.Message.ShouldContain(".repodata");
        Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task A_signer_that_returns_no_armored_signature_fails_the_publish()
    {
        var publisher = new RepositoryPublisher(Root);

        var error = await Should.ThrowAsync<RepositoryPublishException>(() => publisher.PublishAsync([packages.Package("alpha")], (_, _) => Task.FromResult("nope"), default));

        error.Message.ShouldContain("no ASCII-armored OpenPGP signature");
        Directory.Exists(Path.Combine(Root, "repodata")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("../evil.rpm")]
    [InlineData(".hidden.rpm")]
    [InlineData("a/b.rpm")]
    [InlineData("package.txt")]
    [InlineData("new\nline.rpm")]
    public async Task File_names_that_are_not_plain_rpm_names_are_refused(string name)
    {
        var publisher = new RepositoryPublisher(Root);
        var alpha = packages.Package("alpha");

        await Should.ThrowAsync<ArgumentException>(() => publisher.PublishAsync([alpha with { FileName = name }], packages.SignAsync, default));
    }

    [Fact]
    public async Task Two_different_files_of_one_name_are_refused_and_a_bad_digest_is_named()
    {
        var publisher = new RepositoryPublisher(Root);
        var alpha = packages.Package("alpha");

        var twice = await Should.ThrowAsync<ArgumentException>(() => publisher.PublishAsync([alpha, alpha with { Sha256 = new string('0', 64) }], packages.SignAsync, default));
        var upper = await Should.ThrowAsync<ArgumentException>(() => publisher.PublishAsync([alpha with { Sha256 = alpha.Sha256.ToUpperInvariant() }], packages.SignAsync, default));

        twice.Message.ShouldContain("alpha-1.0-1.noarch.rpm");
        upper.Message.ShouldContain("is not a sha256 digest");
    }

    /// <summary>Every path under the root with its size or link target: what a reader could see.</summary>
    private List<string> Snapshot() => Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories)
        .Select(p => new FileInfo(p))
        .Select(f => $"{Path.GetRelativePath(Root, f.FullName)} {f.LinkTarget ?? (f.Exists ? f.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : "dir")}")
        .Order(StringComparer.Ordinal)
        .ToList();
}
