using Forgeline.Core.Builds;
using Forgeline.Core.Projects;
using Forgeline.Rpm;
using Forgeline.Testing;
using Forgeline.Worker.Sandbox;
using Forgeline.Worker.Specs;

namespace Forgeline.Worker.Tests.Specs;

/// <summary>Specs read by the real rpmspec inside the real sandbox, from each kind of source.</summary>
public sealed class SandboxSpecReaderTests : IDisposable
{
    private const string FullSpec = """
        Name:           fl-full
        Version:        1.2~rc1
        Release:        3%{?dist}
        Epoch:          2
        Summary:        A package with everything
        License:        MIT
        BuildRequires:  gcc, make >= 4.0
        BuildRequires:  (libbar-devel or libbaz-devel >= 2)
        BuildRequires:  /usr/bin/python3
        %if 0%{?with_foo}
        BuildRequires:  libfoo-devel = 1:3-4
        %endif
        Provides:       fl-virtual = 7

        %description
        Main package.

        %package devel
        Summary:        Headers
        BuildArch:      noarch
        Provides:       fl-full-headers = 1.1
        Requires:       %{name} = %{epoch}:%{version}-%{release}

        %description devel
        Headers.

        %package unbuilt
        Summary:        Declared without files, so rpmbuild does not make it

        %description unbuilt
        Not built.

        %files
        %files devel
        """;

    private readonly TempDirectory home = new("forgeline-specs");

    public void Dispose() => home.Dispose();

    [Fact]
    public async Task A_directory_spec_gives_its_build_requirements_packages_and_provides()
    {
        var dir = SpecSources.Directory(home.Path, new Dictionary<string, string> { ["fl-full.spec"] = FullSpec });

        var facts = await ReadAsync(SpecSources.Packed(dir, new Dictionary<string, string> { ["dist"] = ".fl1" }));

        facts.Name.ShouldBe("fl-full");
        facts.Epoch.ShouldBe(2);
        facts.Version.ShouldBe("1.2~rc1");
        facts.Release.ShouldBe("3.fl1");
        facts.Evr.ShouldBe("2:1.2~rc1-3.fl1");
        facts.Commit.ShouldBeNull();
        facts.BuildRequires.ShouldBe([
            RpmCapability.Parse("(libbar-devel or libbaz-devel >= 2)"), new RpmCapability("/usr/bin/python3"), new RpmCapability("gcc"), new RpmCapability("make", ">=", "4.0")],
            ignoreOrder: true);
        facts.Packages.Select(p => $"{p.Name}.{p.Arch}").ShouldBe(["fl-full.x86_64", "fl-full-devel.noarch"]);
        facts.Packages[0].Provides.ShouldBe([
            new RpmCapability("fl-full", "=", "2:1.2~rc1-3.fl1"), new RpmCapability("fl-full(x86-64)", "=", "2:1.2~rc1-3.fl1"), new RpmCapability("fl-virtual", "=", "7")],
            ignoreOrder: true);
        facts.Packages[1].Provides.ShouldBe([new RpmCapability("fl-full-devel", "=", "2:1.2~rc1-3.fl1"), new RpmCapability("fl-full-headers", "=", "1.1")], ignoreOrder: true);
        facts.Packages[1].Requires.ShouldContain(new RpmCapability("fl-full", "=", "2:1.2~rc1-3.fl1"));
    }

    [Fact]
    public async Task Macros_reach_rpmspec_so_conditional_build_requirements_and_the_dist_tag_follow_them()
    {
        var dir = SpecSources.Directory(home.Path, new Dictionary<string, string> { ["fl-full.spec"] = FullSpec });

        var without = await ReadAsync(SpecSources.Packed(dir));
        var with = await ReadAsync(SpecSources.Packed(dir, new Dictionary<string, string> { ["with_foo"] = "1", ["dist"] = ".el9" }));

        without.BuildRequires.ShouldNotContain(c => c.Name == "libfoo-devel");
        without.Release.ShouldBe("3");
        with.BuildRequires.ShouldContain(new RpmCapability("libfoo-devel", "=", "1:3-4"));
        with.Release.ShouldBe("3.el9");
    }

    [Fact]
    public async Task An_srpm_is_read_from_its_spec_and_agrees_with_its_header()
    {
        var dir = SpecSources.Directory(home.Path, new Dictionary<string, string> { ["fl-full.spec"] = FullSpec });
        var srpm = await SpecSources.SrpmAsync(dir, "fl-full.spec");

        var facts = await ReadAsync(new SpecReadRequest(new BuildSource(SourceKind.Srpm, Blob: new string('0', 64)), srpm, "x86_64"));

        facts.Name.ShouldBe("fl-full");
        facts.Packages.Select(p => p.Name).ShouldBe(["fl-full", "fl-full-devel"]);
        // The header's requirements are the BuildRequires rpmbuild saw (plus rpmlib features).
        var header = await ProcessRunner.RunCheckedAsync("rpm", "-qp", "--requires", srpm);
        var fromHeader = header.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(RpmCapability.Parse).Where(c => !c.IsRpmlib);
        facts.BuildRequires.ShouldBe(fromHeader, ignoreOrder: true);
    }

    [Fact]
    public async Task A_file_that_is_not_an_srpm_or_an_unsafe_archive_is_refused_and_leaves_nothing_behind()
    {
        var dir = SpecSources.Directory(home.Path, new Dictionary<string, string> { ["fl-full.spec"] = FullSpec });
        var srpm = await SpecSources.SrpmAsync(dir, "fl-full.spec");
        var cut = home["cut.src.rpm"];
        File.WriteAllBytes(cut, File.ReadAllBytes(srpm)[..2000]);
        var unsafeArchive = home["unsafe.tar.gz"];
        await ProcessRunner.RunCheckedAsync("tar", "-czf", unsafeArchive, "-C", dir, "--transform", "s|^|../|", "fl-full.spec");

        var notRpm = await Should.ThrowAsync<SpecReadException>(() => ReadAsync(new SpecReadRequest(new BuildSource(SourceKind.Srpm, Blob: new string('0', 64)), cut, "x86_64")));
        var escaping = await Should.ThrowAsync<SpecReadException>(() => ReadAsync(new SpecReadRequest(new BuildSource(SourceKind.Directory, Blob: new string('0', 64)), unsafeArchive, "x86_64")));

        notRpm.Message.ShouldStartWith("the source RPM could not be unpacked (error: /build/source.src.rpm: ");
        notRpm.Message.ShouldEndWith("); upload an SRPM made with rpmbuild -bs");
        notRpm.Transient.ShouldBeFalse();
        escaping.Message.ShouldStartWith("the source archive is unsafe: entry '../fl-full.spec'");
        Directory.EnumerateFileSystemEntries(home["work"]).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_git_source_is_cloned_at_its_ref_and_the_commit_is_recorded()
    {
        var root = home["git"];
        var repo = SpecSources.Directory(root, new Dictionary<string, string> { ["packaging/fl-full.spec"] = FullSpec, ["README"] = "hi" });
        var first = await SpecSources.CommitAsync(repo, "v1");
        await SpecSources.GitAsync(repo, "tag", "v1");
        File.WriteAllText(Path.Combine(repo, "packaging", "fl-full.spec"), FullSpec.Replace("1.2~rc1", "1.3", StringComparison.Ordinal));
        var second = await SpecSources.CommitAsync(repo, "v2", init: false);
        await using var daemon = await GitDaemon.StartAsync(root);
        var url = $"{daemon.Url}/{Path.GetFileName(repo)}";

        var atTag = await ReadAsync(new SpecReadRequest(new BuildSource(SourceKind.Git, Url: url, Ref: "v1", SpecPath: "packaging/fl-full.spec"), null, "x86_64"));
        var atHead = await ReadAsync(new SpecReadRequest(new BuildSource(SourceKind.Git, Url: url, SpecPath: "packaging/fl-full.spec"), null, "x86_64"));

        atTag.Version.ShouldBe("1.2~rc1");
        atTag.Commit.ShouldBe(first);
        atHead.Version.ShouldBe("1.3");
        atHead.Commit.ShouldBe(second);
    }

    [Theory]
    [InlineData("Name: bad\nVersion: 1\nRelease: 1\nSummary: x\nLicense: MIT\n%if 1\n%description\nx\n%files\n", "the spec could not be parsed: error: line 6: Unclosed %if")]
    [InlineData("Name: bad\nVersion: 1\nSummary: x\nLicense: MIT\n%description\nx\n%files\n", "the spec could not be parsed: error: Release field must be present in package: (main package)")]
    [InlineData("Name: bad\nVersion: 1\nRelease: 1\nSummary: x\nLicense: MIT\nBuildRequires: foo >=\n%description\nx\n%files\n", "the spec could not be parsed: error: line 6: Version required: BuildRequires: foo >=")]
    [InlineData("Name: bad\nVersion: 1\nRelease: 1\nSummary: x\nLicense: MIT\n%description\nx\n", "the spec of bad makes no binary package: give the main package or a subpackage a %files section")]
    public async Task A_spec_rpmspec_refuses_fails_with_rpmspecs_own_words(string spec, string message)
    {
        var dir = SpecSources.Directory(home.Path, new Dictionary<string, string> { ["bad.spec"] = spec });

        var failure = await Should.ThrowAsync<SpecReadException>(() => ReadAsync(SpecSources.Packed(dir)));

        failure.Message.ShouldBe(message);
        failure.Transient.ShouldBeFalse();
    }

    [Fact]
    public async Task Sources_without_one_clear_spec_are_refused_with_what_to_do()
    {
        var none = SpecSources.Directory(home["git"], new Dictionary<string, string> { ["README"] = "no spec here" });
        await SpecSources.CommitAsync(none, "no spec");
        await using var daemon = await GitDaemon.StartAsync(home["git"]);
        var two = SpecSources.Directory(home.Path, new Dictionary<string, string> { ["a.spec"] = FullSpec, ["b.spec"] = FullSpec });

        var noSpec = new SpecReadRequest(new BuildSource(SourceKind.Git, Url: $"{daemon.Url}/{Path.GetFileName(none)}"), null, "x86_64");
        (await Should.ThrowAsync<SpecReadException>(() => ReadAsync(noSpec))).Message.ShouldBe("no .spec file at the top of the sources; name one with --spec");
        // A directory upload without a spec is refused by the archive check already.
        (await Should.ThrowAsync<SpecReadException>(() => ReadAsync(SpecSources.Packed(none)))).Message.ShouldBe("the source archive is unsafe: the archive holds no .spec file");
        (await Should.ThrowAsync<SpecReadException>(() => ReadAsync(SpecSources.Packed(two)))).Message.ShouldBe("several .spec files at the top of the sources (a.spec, b.spec); choose one with --spec");
        (await Should.ThrowAsync<SpecReadException>(() => ReadAsync(SpecSources.Packed(two, specPath: "../etc/passwd")))).Message.ShouldBe("spec file '../etc/passwd' is not in the sources");
        (await ReadAsync(SpecSources.Packed(two, specPath: "b.spec"))).Name.ShouldBe("fl-full");
    }

    [Fact]
    public async Task A_bad_macro_or_arch_is_refused_before_anything_runs()
    {
        var dir = SpecSources.Directory(home.Path, new Dictionary<string, string> { ["fl-full.spec"] = FullSpec });
        var request = SpecSources.Packed(dir);

        (await Should.ThrowAsync<SpecReadException>(() => ReadAsync(request with { Macros = new Dictionary<string, string> { ["_topdir"] = "/" } }))).Message.ShouldContain("is set by the worker");
        (await Should.ThrowAsync<SpecReadException>(() => ReadAsync(request with { Arch = "x86_64 --eval" }))).Message.ShouldContain("architecture 'x86_64 --eval' is not valid");
    }

    [Fact]
    public async Task A_git_server_that_cannot_be_reached_is_a_transient_failure()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failure = await Should.ThrowAsync<SpecReadException>(() => ReadAsync(new SpecReadRequest(new BuildSource(SourceKind.Git, Url: $"git://127.0.0.1:{port}/x.git"), null, "x86_64")));

        failure.Transient.ShouldBeTrue();
        failure.Message.ShouldStartWith("git clone failed: network failure (");
        Directory.EnumerateFileSystemEntries(home["work"]).ShouldBeEmpty();
    }

    private Task<SpecFacts> ReadAsync(SpecReadRequest request, SpecReaderLimits? limits = null)
    {
        Directory.CreateDirectory(home["work"]);
        return new SandboxSpecReader(new BubblewrapSandbox(), home["work"], limits).ReadAsync(request, CancellationToken.None).WaitAsync(Sandboxed.Patience);
    }
}
