using Forgeline.Testing;
using Forgeline.Testing.BuildRoots;
using Xunit.Abstractions;

namespace Forgeline.Worker.Tests.BuildRoots;

/// <summary>
/// The test distribution is a real one: dnf installs from it into an empty root with every signature checked, refuses
/// it under another key or with broken metadata, and the installed root builds an RPM by itself, inside bubblewrap,
/// with rpm checking the BuildRequires against the root's own database.
/// </summary>
public sealed class TestDistributionTests(ITestOutputHelper output) : IDisposable
{
    private const string RepoId = "test-distribution";
    private readonly TempDirectory dir = new("forgeline-distro");

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Dnf_installs_the_build_environment_and_a_small_package_into_an_empty_root_with_signatures_checked()
    {
        var distribution = await TestDistribution.GetAsync();
        output.WriteLine($"TestDistribution.GetAsync() took {distribution.BuildTime.TotalSeconds:F1} s");

        var install = await DnfAsync(distribution.Url, distribution.PublicKeyPath, dir["root"], "install", TestDistribution.BuildsysPackage, "br-one");

        install.ExitCode.ShouldBe(0, install.Output);
        var installed = await InstalledAsync(dir["root"]);
        installed.ShouldContain("test-buildsys-1.0-1.x86_64");
        installed.ShouldContain("br-one-1.0-1.noarch");
        File.ReadAllText(dir["root/usr/share/br-one/br-one.txt"]).ShouldBe("br-one 1.0\n");
        new FileInfo(dir["root/bin"]).LinkTarget.ShouldBe("usr/bin");
        var rpm = Directory.GetFiles(distribution.RepositoryPath, "test-buildsys-*.rpm", SearchOption.AllDirectories).First();
        var unpacked = Directory.EnumerateFiles(dir["root/usr"], "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        output.WriteLine($"test-buildsys: {new FileInfo(rpm).Length / 1e6:F1} MB as an RPM, {unpacked / 1e6:F1} MB of files under /usr");
    }

    [Fact]
    public async Task Dnf_refuses_the_distribution_when_configured_with_a_key_that_signed_nothing()
    {
        var distribution = await TestDistribution.GetAsync();

        var install = await DnfAsync(distribution.Url, distribution.OtherKeyPublicKeyPath, dir["root"], "install", "br-one");

        install.ExitCode.ShouldNotBe(0);
        install.Output.ShouldContain("repomd.xml GPG signature verification error");
        (await InstalledAsync(dir["root"])).ShouldBeEmpty();
    }

    [Fact]
    public async Task Dnf_refuses_a_copy_whose_primary_metadata_is_truncated()
    {
        var distribution = await TestDistribution.GetAsync();
        distribution.CopyCorrupted(dir["corrupted"]);

        var install = await DnfAsync(TestDistribution.FileUrl(dir["corrupted"]), distribution.PublicKeyPath, dir["root"], "install", "br-one");

        output.WriteLine(install.Output);
        install.ExitCode.ShouldNotBe(0);
        (await InstalledAsync(dir["root"])).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_installed_root_builds_an_rpm_inside_bubblewrap_with_rpm_checking_its_build_requires()
    {
        var distribution = await TestDistribution.GetAsync();
        var install = await DnfAsync(distribution.Url, distribution.PublicKeyPath, dir["root"], "install", TestDistribution.BuildsysPackage, "fakecc");
        install.ExitCode.ShouldBe(0, install.Output);
        Directory.CreateDirectory(dir["work"]);
        await File.WriteAllTextAsync(dir["work/x.spec"], Spec("fakecc"));
        await File.WriteAllTextAsync(dir["work/missing.spec"], Spec("not-in-the-root"));

        var build = await RpmbuildInRootAsync(dir["root"], dir["work"], "x.spec");
        var refused = await RpmbuildInRootAsync(dir["root"], dir["work"], "missing.spec");

        build.ExitCode.ShouldBe(0, build.Output);
        File.Exists(dir["work/rpmbuild/RPMS/noarch/fakecc-user-1.0-1.noarch.rpm"]).ShouldBeTrue(build.Output);
        build.Output.ShouldContain("compiled by fakecc 1.0 from x.c");
        refused.ExitCode.ShouldNotBe(0);
        refused.Output.ShouldContain("Failed build dependencies");
        refused.Output.ShouldContain("not-in-the-root is needed");
    }

    [Fact]
    public async Task A_project_repository_layers_on_the_distribution_with_a_rich_dependency_into_it_and_an_srpm_builds_on_the_host()
    {
        var distribution = await TestDistribution.GetAsync();
        var project = await distribution.BuildProjectRepositoryAsync(dir["project"], LibSpec("libfoo", "Requires: (rich-left or rich-right)\n"), LibSpec("libfoo-devel", "Requires: libfoo\n"));
        var srpm = await TestDistribution.BuildSrpmAsync(Spec("libfoo-devel"), dir["srpm"]);

        var install = await LayeredDnfAsync(distribution.Url, distribution.PublicKeyPath, dir["root"], ["install", "libfoo-devel", "br-two"],
            ("project", project, distribution.ProjectPublicKeyPath));

        install.ExitCode.ShouldBe(0, install.Output);
        var installed = await InstalledAsync(dir["root"]);
        installed.ShouldContain("libfoo-devel-1.0-1.noarch");
        installed.ShouldContain("libfoo-1.0-1.noarch");
        installed.ShouldContain("br-two-1.0-1.noarch");
        installed.Count(p => p.StartsWith("rich-", StringComparison.Ordinal)).ShouldBe(1, "the rich dependency takes one side");
        Path.GetFileName(srpm).ShouldBe("fakecc-user-1.0-1.src.rpm");
    }

    private static string Spec(string buildRequires) => $$"""
        Name:          fakecc-user
        Version:       1.0
        Release:       1
        Summary:       Built with the root's fakecc
        License:       MIT
        BuildArch:     noarch
        BuildRequires: {{buildRequires}}

        %description
        A package compiled with fakecc from the test distribution.

        %build
        echo 'int main(void) { return 0; }' > x.c
        fakecc x.c -o x
        cat x

        %install
        install -D -m 0644 x %{buildroot}/usr/share/fakecc-user/x

        %files
        /usr/share/fakecc-user/x
        """;

    private static string LibSpec(string name, string requires) => $$"""
        Name:      {{name}}
        Version:   1.0
        Release:   1
        Summary:   A project package
        License:   MIT
        BuildArch: noarch
        {{requires}}
        %description
        A package of a sibling project.

        %install
        mkdir -p %{buildroot}/usr/share/{{name}}
        echo {{name}} > %{buildroot}/usr/share/{{name}}/{{name}}.txt

        %files
        /usr/share/{{name}}/{{name}}.txt
        """;

    private Task<(int ExitCode, string Output)> DnfAsync(string url, string keyPath, string installRoot, params string[] command) =>
        LayeredDnfAsync(url, keyPath, installRoot, command);

    /// <summary>
    /// dnf with a private configuration naming only the given repositories, every signature checked, and HOME holding
    /// an .rpmmacros that puts the root's database at /var/lib/rpm (Debian's rpm would use ~/.rpmdb inside the root).
    /// </summary>
    private async Task<(int ExitCode, string Output)> LayeredDnfAsync(
        string url, string keyPath, string installRoot, string[] command, params (string Id, string Url, string KeyPath)[] more)
    {
        Directory.CreateDirectory(dir["home"]);
        await File.WriteAllTextAsync(dir["home/.rpmmacros"], "%_dbpath /var/lib/rpm\n");
        var repositories = new[] { (Id: RepoId, Url: url, KeyPath: keyPath) }.Concat(more)
            .Select(r => $"[{r.Id}]\nname={r.Id}\nbaseurl={r.Url}\ngpgkey=file://{r.KeyPath}\n\n");
        await File.WriteAllTextAsync(dir["dnf.conf"], $"""
            [main]
            reposdir=/dev/null
            gpgcheck=1
            repo_gpgcheck=1
            install_weak_deps=False

            {string.Concat(repositories)}
            """);
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("dnf",
            ["-c", dir["dnf.conf"], "--installroot", installRoot, "--releasever", "1", "--setopt", $"cachedir={dir["cache"]}", "-y", .. command],
            environment: new Dictionary<string, string?> { ["HOME"] = dir["home"] }, timeout: TimeSpan.FromMinutes(5));
        return (code, stdout + stderr);
    }

    private async Task<List<string>> InstalledAsync(string root)
    {
        if (!Directory.Exists(Path.Combine(root, "var/lib/rpm")))
        {
            return [];
        }

        var (_, stdout, _) = await ProcessRunner.RunAsync("rpm", ["--root", root, "--dbpath", "/var/lib/rpm", "-qa", "--qf", "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"],
            environment: new Dictionary<string, string?> { ["HOME"] = dir["home"] });
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("gpg-pubkey", StringComparison.Ordinal)).ToList();
    }

    /// <summary>
    /// rpmbuild -bb of <paramref name="spec"/> inside <paramref name="root"/> as /, with nothing of the host visible and no
    /// --nodeps. rpm writes its scriptlets to %_tmppath, /var/tmp, so that needs a writable mount like /tmp.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> RpmbuildInRootAsync(string root, string work, string spec)
    {
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("bwrap",
        [
            "--unshare-all", "--cap-drop", "ALL", "--ro-bind", root, "/", "--bind", work, "/build", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--proc", "/proc", "--dev", "/dev",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/usr/sbin", "--setenv", "HOME", "/build", "--chdir", "/build",
            "/usr/bin/rpmbuild", "-bb", "--define", "_topdir /build/rpmbuild", spec,
        ], timeout: TimeSpan.FromMinutes(5));
        return (code, stdout + stderr);
    }
}
