using Forgeline.Repositories;
using Forgeline.Testing;

namespace Forgeline.Repositories.Tests;

/// <summary>
/// The real client: dnf with gpgcheck and repo_gpgcheck on installs from a published repository served over HTTP into
/// an empty installroot, sees a later publish, and refuses a repository whose repomd.xml signature is not the key's.
/// </summary>
[Collection("repositories")]
public sealed class DnfInstallTests(RepositoryPackagesFixture packages) : IDisposable
{
    private const string RepoId = "forgeline-test";
    private readonly TempDirectory dir = new("forgeline-repo-dnf");

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Dnf_installs_a_package_with_its_dependency_and_sees_the_next_publish()
    {
        var publisher = new RepositoryPublisher(dir["repo"]);
        await publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignAsync, default);
        await using var server = new RepositoryHttpServer(publisher, packages.PublicKey);
        var installRoot = dir["root"];

        var install = await DnfAsync(server, installRoot, "install", "alpha");

        install.ExitCode.ShouldBe(0, install.Output);
        (await RpmQueryAsync(installRoot, "alpha", "beta")).ShouldBe(["alpha-1.0-1.noarch", "beta-1.0-1.noarch"]);
        File.ReadAllText(Path.Combine(installRoot, "usr/share/forgeline-test/beta.txt")).ShouldBe("beta 1.0\n");

        await publisher.PublishAsync([packages.Package("alpha"), packages.Package("alpha", "2.0"), packages.Package("beta"), packages.Package("gamma")], packages.SignAsync, default);
        var upgrade = await DnfAsync(server, installRoot, "--refresh", "upgrade");
        var another = await DnfAsync(server, installRoot, "install", "gamma");

        upgrade.ExitCode.ShouldBe(0, upgrade.Output);
        another.ExitCode.ShouldBe(0, another.Output);
        (await RpmQueryAsync(installRoot, "alpha", "gamma")).ShouldBe(["alpha-2.0-1.noarch", "gamma-1.0-1.noarch"]);
    }

    [Fact]
    public async Task Dnf_refuses_a_repository_signed_by_another_key()
    {
        var publisher = new RepositoryPublisher(dir["repo"]);
        await publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignWithOtherKeyAsync, default);
        await using var server = new RepositoryHttpServer(publisher, packages.PublicKey);

        var install = await DnfAsync(server, dir["root"], "install", "alpha");

        install.ExitCode.ShouldNotBe(0);
        install.Output.ShouldContain("repomd.xml GPG signature verification error");
        (await RpmQueryAsync(dir["root"], "alpha")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Dnf_refuses_a_repomd_xml_changed_after_signing()
    {
        var publisher = new RepositoryPublisher(dir["repo"]);
        await publisher.PublishAsync([packages.Package("alpha"), packages.Package("beta")], packages.SignAsync, default);
        await File.AppendAllTextAsync(publisher.Resolve("repodata/repomd.xml")!, "<!-- changed -->\n");
        await using var server = new RepositoryHttpServer(publisher, packages.PublicKey);

        var install = await DnfAsync(server, dir["root"], "install", "alpha");

        install.ExitCode.ShouldNotBe(0);
        install.Output.ShouldContain("repomd.xml GPG signature verification error");
    }

    /// <summary>
    /// dnf against only this repository, with gpgcheck and repo_gpgcheck on and its own config, repos and cache; the
    /// .repo file is what <see cref="RepoFile"/> renders for users.
    /// </summary>
    private async Task<(int ExitCode, string Output)> DnfAsync(RepositoryHttpServer server, string installRoot, params string[] command)
    {
        var config = dir["dnf.conf"];
        Directory.CreateDirectory(dir["repos.d"]);
        await File.WriteAllTextAsync(Path.Combine(dir["repos.d"], $"{RepoId}.repo"), RepoFile.Render(RepoId, "Forgeline test repository", server.BaseUrl, server.KeyUrl));
        await File.WriteAllTextAsync(config, $"""
            [main]
            reposdir={dir["repos.d"]}
            cachedir={dir["cache"]}
            gpgcheck=1
            repo_gpgcheck=1
            install_weak_deps=False

            """);
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("dnf",
            ["-c", config, "--installroot", installRoot, "--releasever", "1", "--repo", RepoId, "-y", .. command]);
        return (code, stdout + stderr);
    }

    private static async Task<List<string>> RpmQueryAsync(string installRoot, params string[] names)
    {
        var (_, stdout, _) = await ProcessRunner.RunAsync("rpm", ["--root", installRoot, "-q", "--qf", "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n", .. names]);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("not installed", StringComparison.Ordinal)).ToList();
    }
}
