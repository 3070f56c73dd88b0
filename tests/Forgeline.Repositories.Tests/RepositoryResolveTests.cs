using Forgeline.Repositories;
using Forgeline.Testing;

namespace Forgeline.Repositories.Tests;

/// <summary>Mapping URL paths to files: what a repository serves, and every way out of it refused.</summary>
[Collection("repositories")]
public sealed class RepositoryResolveTests(RepositoryPackagesFixture packages) : IAsyncLifetime
{
    private readonly TempDirectory dir = new("forgeline-repo-resolve");
    private RepositoryPublisher publisher = null!;
    private ServedRepository served = null!;

    private string Root => dir["repo"];

    public async Task InitializeAsync()
    {
        publisher = new RepositoryPublisher(Root);
        await publisher.PublishAsync([packages.Package("alpha")], packages.SignAsync, default);
        served = ServedRepository.Check(Root);
        await File.WriteAllTextAsync(dir["secret.txt"], "outside the repository");
        File.CreateSymbolicLink(Path.Combine(Root, "outside"), dir.Path);
        File.CreateSymbolicLink(Path.Combine(Root, "secret.txt"), dir["secret.txt"]);
        File.CreateSymbolicLink(Path.Combine(Root, "passwd"), "/etc/passwd");
    }

    public Task DisposeAsync()
    {
        dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Metadata_and_packages_resolve_to_the_files_behind_the_link()
    {
        publisher.Resolve("repodata/repomd.xml").ShouldBe(Path.Combine(Root, ".generations", "1", "repodata", "repomd.xml"));
        publisher.Resolve("repodata/repomd.xml.asc").ShouldNotBeNull();
        foreach (var href in served.MetadataFiles.Concat(served.PackageLocations))
        {
            File.ReadAllBytes(publisher.Resolve(href).ShouldNotBeNull(href)).ShouldBe(File.ReadAllBytes(Path.Combine(Root, href)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("../secret.txt")]
    [InlineData("repodata/../../secret.txt")]
    [InlineData("repodata/./repomd.xml")]
    [InlineData("repodata//repomd.xml")]
    [InlineData("repodata/")]
    [InlineData("repodata")]
    [InlineData("Packages")]
    [InlineData("repodata/repomd.xml\0.png")]
    [InlineData("repodata\\repomd.xml")]
    [InlineData(".lock")]
    [InlineData(".generations/1/repodata/repomd.xml")]
    [InlineData(".generations/1/packages.txt")]
    [InlineData("repodata/no-such-file.xml.gz")]
    [InlineData("outside/secret.txt")]
    [InlineData("secret.txt")]
    [InlineData("passwd")]
    public void Paths_leading_out_of_the_repository_or_to_nothing_are_refused(string path)
    {
        publisher.Resolve(path).ShouldBeNull();
    }
}
