using System.Net;
using System.Net.Sockets;
using Forgeline.Core.Workers;
using Forgeline.Testing;
using Forgeline.Testing.BuildRoots;
using Forgeline.Worker.Roots;
using Forgeline.Worker.Sandbox;

namespace Forgeline.Worker.Tests.BuildRoots;

/// <summary>
/// Builds in a target's clean root, end to end on the worker: the real test distribution (signed RPMs of the host's
/// rpmbuild and tiny packages), real dnf installing into a real overlay, rpmbuild inside bubblewrap with the root as
/// <c>/</c>. Every build sees only what its BuildRequires resolve to.
/// </summary>
public sealed class BuildRootTests : IDisposable
{
    private readonly TempDirectory home = new("forgeline-roots");
    private readonly LocalJobTransfer transfer = new();
    private readonly CollectingBuildLog log = new();
    private readonly HttpClient http = new();
    private readonly RootCache cache;
    private int runs;

    public BuildRootTests() => cache = new RootCache(home["cache"], 1L << 30);

    public void Dispose()
    {
        cache.Dispose();
        http.Dispose();
        home.Dispose();
    }

    [Fact]
    public async Task A_BuildRequires_from_the_target_is_installed_and_rpmbuild_runs_in_the_root_without_the_host()
    {
        var distribution = await TestDistribution.GetAsync();
        var spec = Spec("fromtarget", "BuildRequires: fakecc", """
            echo 'int main;' > x.c
            fakecc x.c -o x.out
            cat x.out
            # The root holds what its packages ship and nothing of the host's Debian.
            test ! -e /etc/debian_version && echo NO-HOST-DEBIAN
            test ! -e /usr/bin/dotnet && echo NO-HOST-DOTNET
            """);

        var runner = await RunAsync(spec, Target(distribution));

        log.Text.ShouldContain("compiled by fakecc 1.0 from x.c");
        log.Text.ShouldContain("NO-HOST-DEBIAN");
        log.Text.ShouldContain("NO-HOST-DOTNET");
        var report = runner.RootReport.ShouldNotBeNull();
        report.Target.ShouldBe("testdist-1-x86_64");
        report.BaseCached.ShouldBeFalse();
        report.BuildSeconds.ShouldNotBeNull();
        report.Digest.Length.ShouldBe(64);
        var packages = UploadedPackageList();
        packages.ShouldContain("fakecc-1.0-1.noarch");
        packages.ShouldContain(p => p.StartsWith("test-buildsys-", StringComparison.Ordinal));
        packages.Length.ShouldBe(report.Packages);
        transfer.Uploads.ShouldContain(("rpm", "fromtarget-1-1.noarch.rpm"));
    }

    [Fact]
    public async Task A_second_build_on_the_same_target_starts_from_the_cached_base_root()
    {
        var distribution = await TestDistribution.GetAsync();
        var root = Target(distribution);

        var first = await RunAsync(Spec("cachedone", "BuildRequires: br-one", "cat /usr/share/br-one/br-one.txt"), root);
        var second = await RunAsync(Spec("cachedtwo", "BuildRequires: br-two", "cat /usr/share/br-two/br-two.txt; test ! -e /usr/share/br-one && echo NOT-THE-FIRST-BUILDS"), root);

        first.RootReport!.BaseCached.ShouldBeFalse();
        second.RootReport!.BaseCached.ShouldBeTrue();
        second.RootReport.BaseDigest.ShouldBe(first.RootReport.BaseDigest);
        log.Text.ShouldContain($"base root {first.RootReport.BaseDigest[..12]} of testdist-1-x86_64 from the cache");
        // The first build's BuildRequires went into its own overlay, never into the cached base.
        log.Text.ShouldContain("NOT-THE-FIRST-BUILDS");
        Directory.GetDirectories(Path.Combine(cache.TargetDirectory("testdist-1-x86_64"), "bases")).Length.ShouldBe(1);
        // dnf's metadata cache is the worker's, outside the root: the cached base holds no cache files.
        Directory.EnumerateFiles(cache.DnfCache("testdist-1-x86_64"), "*.solv*", SearchOption.AllDirectories).ShouldNotBeEmpty();
        var tree = Path.Combine(BaseRoots().Single(), "tree");
        Directory.EnumerateFiles(tree, "*.solv*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public async Task On_a_cold_cache_the_build_installs_its_root_in_one_transaction_and_the_base_is_cached_behind_it()
    {
        var distribution = await TestDistribution.GetAsync();

        var first = await RunAsync(Spec("coldone", "BuildRequires: br-two", "cat /usr/share/br-two/br-two.txt"), Target(distribution));
        await cache.WhenIdleAsync();

        log.Text.ShouldContain("installing test-buildsys and the BuildRequires in one transaction; the base is cached meanwhile");
        first.RootReport!.BaseCached.ShouldBeFalse();
        var cached = Path.Combine(BaseRoots().Single(), "tree");
        File.Exists(Path.Combine(cached, "usr", "bin", "rpmbuild")).ShouldBeTrue("the base holds the base packages");
        Directory.Exists(Path.Combine(cached, "usr", "share", "br-two")).ShouldBeFalse("and not this build's BuildRequires");
        File.ReadAllLines(Path.Combine(BaseRoots().Single(), "packages.txt")).ShouldContain(p => p.StartsWith("test-buildsys-", StringComparison.Ordinal));
        cache.BackgroundFailure.ShouldBeNull();
    }

    [Fact]
    public async Task The_same_BuildRequires_on_the_same_metadata_are_installed_once_and_then_come_from_the_cache()
    {
        var distribution = await TestDistribution.GetAsync();
        var root = Target(distribution);
        await RunAsync(Spec("fillsbase", "BuildRequires: br-one", "true"), root);
        var spec = Spec("layered", "BuildRequires: br-four\nBuildRequires: fakecc", "cat /usr/share/br-four/br-four.txt; echo pid $$ > /build/own-file");

        var first = await RunAsync(spec, root);
        var firstList = UploadedPackageList();
        var second = await RunAsync(spec, root);

        log.Text.ShouldContain($"BuildRequires layer");
        log.Text.ShouldContain("from the cache (same BuildRequires, same metadata)");
        second.RootReport!.Digest.ShouldBe(first.RootReport!.Digest);
        UploadedPackageList().ShouldBe(firstList);
        // The build's own writes never reach a cached layer.
        Directory.EnumerateFiles(Path.Combine(cache.TargetDirectory("testdist-1-x86_64"), "layers"), "own-file", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_sibling_package_from_the_project_repository_and_what_it_requires_from_both_layers_are_installed()
    {
        var distribution = await TestDistribution.GetAsync();
        var project = await distribution.BuildProjectRepositoryAsync(home["project-repo"],
            Library("libfoo", "", "/usr/lib/libfoo.txt"),
            Library("libfoo-devel", "Requires: libfoo\nRequires: glibc-devel", "/usr/include/foo.h"));
        var root = Target(distribution) with
        {
            Repositories = [.. Target(distribution).Repositories, new JobRepository("project", project, distribution.ProjectPublicKey, JobRepository.ProjectLayer)],
        };

        var runner = await RunAsync(Spec("sibling", "BuildRequires: libfoo-devel", "cat /usr/include/foo.h /usr/lib/libfoo.txt /usr/include/fake-libc.h"), root);

        var packages = UploadedPackageList();
        packages.ShouldContain("libfoo-devel-1-1.noarch");
        packages.ShouldContain("libfoo-1-1.noarch");
        packages.ShouldContain("fake-glibc-devel-2.38-1.noarch");
        runner.RootReport!.Packages.ShouldBe(packages.Length);
        log.Text.ShouldContain("fake-glibc-devel 2.38");
    }

    [Fact]
    public async Task A_project_repository_with_nothing_published_yet_is_left_out_of_the_root()
    {
        var distribution = await TestDistribution.GetAsync();
        var root = Target(distribution) with
        {
            Repositories = [.. Target(distribution).Repositories, new JobRepository("project", TestDistribution.FileUrl(home["never-published"]), distribution.ProjectPublicKey, JobRepository.ProjectLayer)],
        };

        var runner = await RunAsync(Spec("firstofproject", "BuildRequires: br-five", "cat /usr/share/br-five/br-five.txt"), root);

        log.Text.ShouldContain("nothing is published yet in project: the root is made without it");
        runner.RootReport.ShouldNotBeNull();
    }

    [Fact]
    public async Task RPMs_the_server_names_by_digest_are_installed_from_a_local_repository()
    {
        var distribution = await TestDistribution.GetAsync();
        var spec = Path.Combine(Directory.CreateDirectory(home["deps-spec"]).FullName, "libbar.spec");
        await File.WriteAllTextAsync(spec, Library("libbar", "", "/usr/share/libbar.txt"));
        var rpms = await HostRpmbuild.BuildBinaryAsync(spec, home["deps-rpms"]);
        var dependencies = await transfer.DependenciesAsync(rpms);

        await RunAsync(Spec("usesbar", "BuildRequires: libbar", "cat /usr/share/libbar.txt"), Target(distribution), lease => lease with { Dependencies = dependencies });

        UploadedPackageList().ShouldContain("libbar-1-1.noarch");
        log.Text.ShouldContain("libbar says hello");
    }

    [Fact]
    public async Task A_BuildRequires_that_nothing_provides_fails_the_build_with_dnfs_words_and_nothing_is_built()
    {
        var distribution = await TestDistribution.GetAsync();

        var failure = await Should.ThrowAsync<JobFailedException>(() => RunAsync(Spec("missing", "BuildRequires: fakecc\nBuildRequires: no-such-capability >= 2", "true"), Target(distribution)));

        // On a cold cache the base and the BuildRequires are one transaction; on a warm one, the BuildRequires alone.
        failure.Message.ShouldStartWith("installing the base root and the BuildRequires failed: ");
        failure.Message.ShouldContain("no-such-capability >= 2");
        transfer.Uploads.ShouldNotContain(u => u.Kind == "rpm");
        await RunAsync(Spec("warmbase", "", "true"), Target(distribution));
        await cache.WhenIdleAsync();
        var warm = await Should.ThrowAsync<JobFailedException>(() => RunAsync(Spec("missing2", "BuildRequires: no-such-capability", "true"), Target(distribution)));
        warm.Message.ShouldStartWith("installing the BuildRequires failed: ");
        warm.Message.ShouldContain("no-such-capability");
        transfer.Uploads.ShouldNotContain(u => u.Kind == "rpm" && u.Name.StartsWith("missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rich_BuildRequires_is_resolved_by_dnf()
    {
        var distribution = await TestDistribution.GetAsync();

        await RunAsync(Spec("rich", "BuildRequires: (rich-left or rich-right)\nBuildRequires: (fakecc if rich-left)", "ls /usr/share/ | grep rich-; command -v fakecc"), Target(distribution));

        var packages = UploadedPackageList();
        packages.ShouldContain(p => p.StartsWith("rich-left-", StringComparison.Ordinal) || p.StartsWith("rich-right-", StringComparison.Ordinal));
        log.Text.ShouldContain("/usr/bin/fakecc");
    }

    [Fact]
    public async Task Dynamic_BuildRequires_are_generated_in_the_root_and_installed()
    {
        var distribution = await TestDistribution.GetAsync();
        var spec = Spec("dynamic", "BuildRequires: br-one", "cat /usr/share/br-three/br-three.txt", generate: "echo br-three");

        await RunAsync(spec, Target(distribution));

        log.Text.ShouldContain("generated BuildRequires: br-three");
        UploadedPackageList().ShouldContain("br-three-1.0-1.noarch");
        log.Text.ShouldContain("br-three 1.0");
    }

    [Fact]
    public async Task A_failing_generate_buildrequires_fails_the_build_naming_the_step()
    {
        var distribution = await TestDistribution.GetAsync();

        var failure = await Should.ThrowAsync<JobFailedException>(() => RunAsync(Spec("dynfail", "", "true", generate: "echo GENERATOR-BROKE; exit 4"), Target(distribution)));

        failure.Message.ShouldContain("%generate_buildrequires");
        log.Text.ShouldContain("GENERATOR-BROKE");
        transfer.Uploads.ShouldNotContain(u => u.Kind == "rpm");
    }

    [Fact]
    public async Task A_build_that_reaches_for_the_network_fails_in_the_root()
    {
        var distribution = await TestDistribution.GetAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var failure = await Should.ThrowAsync<JobFailedException>(() =>
            RunAsync(Spec("network", "", $"echo TRYING; bash -c 'echo hello > /dev/tcp/127.0.0.1/{port}'"), Target(distribution)));

        failure.Message.ShouldContain("rpmbuild failed");
        log.Text.ShouldContain("TRYING");
        listener.Pending().ShouldBeFalse();
    }

    [Fact]
    public async Task A_build_cannot_write_outside_its_build_directory_nor_into_the_cached_root()
    {
        var distribution = await TestDistribution.GetAsync();
        await RunAsync(Spec("fillsbase", "", "true"), Target(distribution));

        var failure = await Should.ThrowAsync<JobFailedException>(() =>
            RunAsync(Spec("escape", "", "echo evil > /build/../escape.txt || echo REFUSED-ROOT; echo evil > /usr/bin/fakecc-planted"), Target(distribution)));

        failure.Message.ShouldContain("rpmbuild failed");
        log.Text.ShouldContain("REFUSED-ROOT");
        log.Text.ShouldContain("Read-only file system");
        var bases = Directory.GetDirectories(Path.Combine(cache.TargetDirectory("testdist-1-x86_64"), "bases")).Single();
        File.Exists(Path.Combine(bases, "tree", "usr", "bin", "fakecc-planted")).ShouldBeFalse();
        File.Exists(Path.Combine(bases, "tree", "escape.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_target_repository_that_cannot_be_reached_fails_the_build_naming_it_and_the_worker_builds_the_next()
    {
        var distribution = await TestDistribution.GetAsync();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var unreachable = Target(distribution) with { Repositories = [new JobRepository("base", $"http://127.0.0.1:{closedPort}/dist/", distribution.PublicKey)] };
        var missing = Target(distribution) with { Repositories = [new JobRepository("base", "file:///nonexistent/forgeline/repo/", distribution.PublicKey)] };

        var refused = await Should.ThrowAsync<JobFailedException>(() => RunAsync(Spec("unreach", "", "true"), unreachable));
        var absent = await Should.ThrowAsync<JobFailedException>(() => RunAsync(Spec("absent", "", "true"), missing));
        await RunAsync(Spec("afterbad", "BuildRequires: br-one", "true"), Target(distribution));

        refused.Message.ShouldStartWith($"the target's repository 'base' cannot be reached: http://127.0.0.1:{closedPort}/dist/repodata/repomd.xml");
        absent.Message.ShouldStartWith("the target's repository 'base' cannot be reached: file:///nonexistent/forgeline/repo/repodata/repomd.xml");
    }

    [Fact]
    public async Task A_repository_signed_with_another_key_fails_the_build_and_no_base_root_is_cached()
    {
        var distribution = await TestDistribution.GetAsync();
        var wrongKey = Target(distribution) with { Repositories = [new JobRepository("base", distribution.Url, distribution.OtherKeyPublicKey)] };

        var failure = await Should.ThrowAsync<JobFailedException>(() => RunAsync(Spec("wrongkey", "", "true"), wrongKey));

        failure.Message.ShouldStartWith("installing the base root and the BuildRequires failed: ");
        failure.Message.ShouldContain("repomd.xml");
        await cache.WhenIdleAsync();
        BaseRoots().ShouldBeEmpty();
    }

    [Fact]
    public async Task Packages_signed_with_another_key_than_the_targets_are_refused_even_when_the_metadata_is_not_checked()
    {
        var distribution = await TestDistribution.GetAsync();
        var wrongKey = Target(distribution) with { Repositories = [new JobRepository("base", distribution.Url, distribution.OtherKeyPublicKey, SignedMetadata: false)] };

        var failure = await Should.ThrowAsync<JobFailedException>(() => RunAsync(Spec("wrongpkgkey", "", "true"), wrongKey));

        failure.Message.ShouldStartWith("installing the base root and the BuildRequires failed: ");
        failure.Message.ShouldContain("GPG");
        failure.Message.ShouldNotContain("repomd.xml");
        await cache.WhenIdleAsync();
        BaseRoots().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_corrupt_repository_fails_the_build_and_leaves_no_half_installed_root_behind()
    {
        var distribution = await TestDistribution.GetAsync();
        distribution.CopyCorrupted(home["corrupt"]);
        var corrupt = Target(distribution) with { Repositories = [new JobRepository("base", TestDistribution.FileUrl(home["corrupt"]), distribution.PublicKey)] };

        var failure = await Should.ThrowAsync<JobFailedException>(() => RunAsync(Spec("corrupt", "", "true"), corrupt));

        failure.Message.ShouldStartWith("installing the base root and the BuildRequires failed: ");
        await cache.WhenIdleAsync();
        BaseRoots().ShouldBeEmpty();
        var bases = Path.Combine(cache.TargetDirectory("testdist-1-x86_64"), "bases");
        (Directory.Exists(bases) ? Directory.GetDirectories(bases) : []).ShouldBeEmpty("not even a partial base is left");
    }

    [Fact]
    public async Task A_repository_in_a_layer_the_worker_does_not_know_is_refused()
    {
        var distribution = await TestDistribution.GetAsync();
        var odd = Target(distribution) with { Repositories = [.. Target(distribution).Repositories, new JobRepository("extra", "https://example.org/x/", Layer: "vendor")] };

        var failure = await Should.ThrowAsync<JobFailedException>(() => RunAsync(Spec("oddlayer", "", "true"), odd));

        failure.Message.ShouldBe("the server sent repository 'extra' in an unknown layer 'vendor'; this worker knows only 'target' and 'project'");
    }

    [Fact]
    public async Task A_root_for_another_arch_than_the_build_is_refused()
    {
        var distribution = await TestDistribution.GetAsync();

        var failure = await Should.ThrowAsync<JobFailedException>(() => RunAsync(Spec("otherarch", "", "true"), Target(distribution) with { Arch = "aarch64" }));

        failure.Message.ShouldBe("the target testdist-1-x86_64 is for aarch64, but the build is for x86_64");
    }

    [Fact]
    public async Task A_half_installed_base_left_by_a_crash_is_removed_when_the_cache_opens_and_never_used()
    {
        var distribution = await TestDistribution.GetAsync();
        var bases = Path.Combine(cache.TargetDirectory("testdist-1-x86_64"), "bases");
        cache.Dispose();
        var partial = Path.Combine(bases, ".partial-0123456789abcdef", "tree");
        Directory.CreateDirectory(Path.Combine(partial, "usr"));

        using var reopened = new RootCache(home["cache"], 1L << 30);

        Directory.Exists(Path.GetDirectoryName(partial)).ShouldBeFalse();
    }

    [Fact]
    public void A_second_worker_process_cannot_share_a_root_cache()
    {
        Should.Throw<IOException>(() => new RootCache(home["cache"], 1)).Message.ShouldContain("is in use by another worker process");
    }

    private IEnumerable<string> BaseRoots() =>
        Directory.Exists(Path.Combine(cache.TargetDirectory("testdist-1-x86_64"), "bases"))
            ? Directory.GetDirectories(Path.Combine(cache.TargetDirectory("testdist-1-x86_64"), "bases")).Where(d => !Path.GetFileName(d).StartsWith(".partial-", StringComparison.Ordinal))
            : [];

    private static JobRoot Target(TestDistribution distribution) =>
        new("testdist-1-x86_64", "x86_64", [new JobRepository("base", distribution.Url, distribution.PublicKey)], [TestDistribution.BuildsysPackage]);

    private async Task<BuildRunner> RunAsync(string specText, JobRoot root, Func<JobLease, JobLease>? change = null)
    {
        var srpm = await TestDistribution.BuildSrpmAsync(specText, home[$"srpm-{Interlocked.Increment(ref runs)}"]);
        var lease = (await transfer.SrpmLeaseAsync(srpm)) with { Root = root };
        lease = change?.Invoke(lease) ?? lease;
        var runner = new BuildRunner(transfer, new BubblewrapSandbox(), lease, log, home[$"work-{runs}"], roots: new BuildRootHost(cache, http, null, null));
        await runner.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(120));
        Directory.Exists(home[$"work-{runs}"] + "-root").ShouldBeFalse();
        return runner;
    }

    private string[] UploadedPackageList()
    {
        var list = transfer.UploadedFiles.Last(f => Path.GetFileName(f) == JobRootReport.PackagesArtifactName);
        return File.ReadAllLines(list);
    }

    private static string Spec(string name, string preamble, string build, string? generate = null) => $$"""
        Name:       {{name}}
        Version:    1
        Release:    1
        Summary:    build root test {{name}}
        License:    MIT
        BuildArch:  noarch
        {{preamble}}

        %description
        A package of the build root tests.
        {{(generate is null ? "" : $"\n%generate_buildrequires\n{generate}\n")}}
        %build
        {{build}}

        %install
        mkdir -p %{buildroot}/usr/share/{{name}}
        echo {{name}} > %{buildroot}/usr/share/{{name}}/built

        %files
        /usr/share/{{name}}
        """;

    private static string Library(string name, string preamble, string file) => $$"""
        Name:       {{name}}
        Version:    1
        Release:    1
        Summary:    sibling package {{name}}
        License:    MIT
        BuildArch:  noarch
        AutoReqProv: no
        {{preamble}}

        %description
        A sibling package of the build root tests.

        %install
        mkdir -p %{buildroot}$(dirname {{file}})
        echo '{{name}} says hello' > %{buildroot}{{file}}

        %files
        {{file}}
        """;
}
