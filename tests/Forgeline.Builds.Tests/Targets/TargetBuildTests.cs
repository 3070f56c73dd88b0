using Microsoft.Extensions.DependencyInjection;
using Forgeline.Builds.Targets;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Targets;
using Forgeline.Core.Workers;
using Forgeline.Data;

namespace Forgeline.Builds.Tests.Targets;

/// <summary>Builds for a target: submitted with the target's arch, leased only to build-root workers of it with the target's root, completed with a root report.</summary>
public abstract class TargetBuildTests(PackagesFixture packages, DatabaseEngine engine) : IClassFixture<PackagesFixture>, IAsyncLifetime
{
    private const string Key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n";
    private static readonly string Digest = new('d', 64);
    private BuildsHarness harness = null!;

    public async Task InitializeAsync()
    {
        harness = await BuildsHarness.CreateAsync(engine);
        var put = await harness.InScopeAsync(sp => sp.GetRequiredService<TargetService>().PutAsync("oe-arm", new PutTargetRequest("aarch64",
            [new("base", "https://repo.example.org/OS/aarch64/", Key), new("update", "https://repo.example.org/update/aarch64/")],
            ["@buildsys-build", "openEuler-rpm-config"], new Dictionary<string, string> { ["vendor"] = "openEuler", ["_smp_mflags"] = "-j1" }, ".oe2403", ReleaseVersion: "24.03"), default));
        put.IsSuccess.ShouldBeTrue(put.Message);
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task A_build_for_a_target_gets_its_arch_and_refuses_another_or_an_unknown_target()
    {
        (await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), Target: "oe-arm"))).Value!.Arch.ShouldBe("aarch64");
        (await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), "aarch64", Target: "oe-arm"))).Value!.Target.ShouldBe("oe-arm");

        var mismatch = await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), "x86_64", Target: "oe-arm"));
        mismatch.Error.ShouldBe(ServiceError.Invalid);
        mismatch.Message!.ShouldContain("target 'oe-arm' builds for aarch64, not x86_64");

        var unknown = await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), Target: "nowhere"));
        unknown.Error.ShouldBe(ServiceError.Invalid);
        unknown.Message!.ShouldContain("no build target 'nowhere'");
    }

    [Fact]
    public async Task The_cache_key_holds_the_target_and_its_definition()
    {
        var source = await SourceAsync();
        var plain = BuildCache.InputDigest(source, "aarch64", "", null);
        var target = (await harness.InScopeAsync(sp => sp.GetRequiredService<TargetService>().FindAsync("oe-arm", default)))!;
        var forTarget = BuildCache.InputDigest(source, "aarch64", "", null, target: $"{target.Name}@{target.Digest}");
        var changed = BuildCache.InputDigest(source, "aarch64", "", null, target: $"{target.Name}@{(target with { ReleaseVersion = "24.09" }).Digest}");
        new[] { plain, forTarget, changed }.Distinct().Count().ShouldBe(3);

        var submitted = (await SubmitAsync(new SubmitBuildRequest(source, Target: "oe-arm"))).Value!;
        var stored = await harness.InScopeAsync(async sp => (await sp.GetRequiredService<ForgelineDbContext>().Builds.FindAsync(submitted.Id))!.InputDigest);
        stored.ShouldBe(forTarget);
    }

    [Fact]
    public async Task A_target_build_goes_only_to_a_build_root_worker_of_the_targets_arch_with_the_targets_root()
    {
        var id = (await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), Macros: new Dictionary<string, string> { ["_smp_mflags"] = "-j8" }, Target: "oe-arm"))).Value!.Id;

        (await LeaseAsync("host-arm", "aarch64", buildRoots: false)).ShouldBeNull("a worker without build roots would build on its own toolchain");
        (await LeaseAsync("roots-x86", "x86_64", buildRoots: true)).ShouldBeNull("the target's roots are aarch64");
        var lease = (await LeaseAsync("roots-arm", "aarch64", buildRoots: true))!;
        lease.BuildId.ShouldBe(id);

        var root = lease.Root!;
        (root.Target, root.Arch, root.ReleaseVersion, root.RpmDbPath).ShouldBe(("oe-arm", "aarch64", "24.03", "/var/lib/rpm"));
        root.BasePackages.ShouldBe(["@buildsys-build", "openEuler-rpm-config"]);
        root.Repositories.ShouldBe([
            new JobRepository("base", "https://repo.example.org/OS/aarch64/", Key, JobRepository.TargetLayer, SignedMetadata: false),
            new JobRepository("update", "https://repo.example.org/update/aarch64/", null, JobRepository.TargetLayer, SignedMetadata: false)]);
        lease.Macros!["dist"].ShouldBe(".oe2403");
        lease.Macros["vendor"].ShouldBe("openEuler");
        lease.Macros["_smp_mflags"].ShouldBe("-j8", "the build's own macros win over the target's");
    }

    [Fact]
    public async Task A_project_build_gets_the_projects_repository_last_and_the_projects_dist_tag_wins()
    {
        var layer = new JobRepository("project", "/repos/demo/oe-arm/", Key, JobRepository.ProjectLayer);
        var placement = new BuildPlacement(42, null, "test/1", layer);
        var source = await SourceAsync();
        var submitted = await harness.Builds(b => b.SubmitAsync("alice", new SubmitBuildRequest(source, Macros: new Dictionary<string, string> { ["dist"] = ".demo1" }, Target: "oe-arm"), default, placement));
        submitted.IsSuccess.ShouldBeTrue(submitted.Message);

        var lease = (await LeaseAsync("roots-arm", "aarch64", buildRoots: true))!;
        lease.Root!.Repositories.Select(r => (r.Id, r.Layer)).ShouldBe([("base", "target"), ("update", "target"), ("project", "project")]);
        lease.Root.Repositories[^1].ShouldBe(layer, "the placement's layer, as submitted");
        lease.Macros!["dist"].ShouldBe(".demo1");
    }

    [Fact]
    public async Task A_build_whose_target_was_deleted_before_it_started_fails_instead_of_building_on_the_host()
    {
        var id = (await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), Target: "oe-arm"))).Value!.Id;
        (await harness.InScopeAsync(sp => sp.GetRequiredService<TargetService>().DeleteAsync("oe-arm", default))).IsSuccess.ShouldBeTrue();

        (await LeaseAsync("roots-arm", "aarch64", buildRoots: true)).ShouldBeNull();
        var build = (await harness.Builds(b => b.GetAsync(id, default))).Value!;
        build.State.ShouldBe("failed");
        build.Reason!.ShouldContain("build target 'oe-arm' was deleted");
    }

    [Fact]
    public async Task A_host_toolchain_build_has_no_root_and_any_worker_of_its_arch_takes_it()
    {
        var id = (await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), "aarch64"))).Value!.Id;
        var lease = (await LeaseAsync("host-arm", "aarch64", buildRoots: false))!;
        lease.BuildId.ShouldBe(id);
        lease.Root.ShouldBeNull();
    }

    [Fact]
    public async Task A_completion_with_a_root_report_and_package_list_shows_in_the_build()
    {
        var id = (await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), Target: "oe-arm"))).Value!.Id;
        var lease = (await LeaseAsync("roots-arm", "aarch64", buildRoots: true))!;
        await UploadAsync(lease.LeaseId, packages.Rpm, Path.GetFileName(packages.Rpm), "rpm");
        var list = "bash-5.2.15-9.oe2403.aarch64\nglibc-2.38-29.oe2403.aarch64\nperl-4:5.38.0-6.oe2403.aarch64\n"u8.ToArray();
        (await UploadBytesAsync(lease.LeaseId, list, JobRootReport.PackagesArtifactName, JobRootReport.PackagesArtifactKind)).IsSuccess.ShouldBeTrue();

        var report = new JobRootReport("oe-arm", new string('b', 64), Digest, 3, true, 1.5, 20.25, 42);
        var done = await harness.Jobs(j => j.CompleteAsync(lease.LeaseId, new CompleteJobRequest(JobOutcome.Succeeded, null, "hello-1.0-1", Root: report), default));
        done.Value.ShouldBe(BuildState.Succeeded);

        var build = (await harness.Builds(b => b.GetAsync(id, default))).Value!;
        build.Target.ShouldBe("oe-arm");
        build.Root.ShouldBe(report);
        var artifact = build.Artifacts.Single(a => a.Kind == JobRootReport.PackagesArtifactKind);
        artifact.Name.ShouldBe("root-packages.txt");
        BuildRootText.Root(build).ShouldBe($"sha256:{Digest} · 3 packages · base root cached");
        BuildRootText.Times(build).ShouldBe("resolve 1.5s · install 20.3s · build 42.0s");
        BuildRootText.PackageList(build)!.Url.ShouldBe($"/api/v1/builds/{id}/artifacts/root-packages.txt");

        // The same inputs for the same target, in the same environment: a cache hit that shows the root its packages came from.
        var again = (await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), Target: "oe-arm"))).Value!;
        again.CachedFrom.ShouldBe(id);
        again.Root.ShouldBe(report);
        BuildRootText.PackageList(again).ShouldNotBeNull();
    }

    [Fact]
    public async Task A_report_for_another_target_or_with_bad_digests_is_refused()
    {
        await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), Target: "oe-arm"));
        var lease = (await LeaseAsync("roots-arm", "aarch64", buildRoots: true))!;
        foreach (var bad in new[] { new JobRootReport("other", Digest, Digest, 1, false, 1, 1, 1), new JobRootReport("oe-arm", "short", Digest, 1, false, 1, 1, 1), new JobRootReport("oe-arm", Digest, Digest, -1, false, 1, 1, null) })
        {
            (await harness.Jobs(j => j.CompleteAsync(lease.LeaseId, new CompleteJobRequest(JobOutcome.Failed, "x", null, Root: bad), default))).Error.ShouldBe(ServiceError.Invalid, bad.ToString());
        }
    }

    [Theory]
    [InlineData("bash 5.2.15-9.oe2403.aarch64\n", "line 1")]
    [InlineData("bash-5.2.15-9.oe2403.aarch64\n\nglibc-2.38-29.aarch64\n", "line 2")]
    [InlineData("just-a-name\n", "line 1")]
    [InlineData("bash-5.2.15-9.oe2403.aarch64\r\n", "line 1")]
    public async Task A_malformed_package_list_is_refused(string text, string expected)
    {
        await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), Target: "oe-arm"));
        var lease = (await LeaseAsync("roots-arm", "aarch64", buildRoots: true))!;
        var refused = await UploadBytesAsync(lease.LeaseId, System.Text.Encoding.UTF8.GetBytes(text), JobRootReport.PackagesArtifactName, JobRootReport.PackagesArtifactKind);
        refused.Error.ShouldBe(ServiceError.Invalid);
        refused.Message!.ShouldContain(expected);
    }

    [Fact]
    public async Task A_package_list_that_is_not_utf8_too_large_or_misnamed_is_refused()
    {
        await SubmitAsync(new SubmitBuildRequest(await SourceAsync(), Target: "oe-arm"));
        var lease = (await LeaseAsync("roots-arm", "aarch64", buildRoots: true))!;
        (await UploadBytesAsync(lease.LeaseId, [0x62, 0xff, 0xfe, 0x0a], "root-packages.txt", "root-packages")).Message!.ShouldContain("UTF-8");
        (await UploadBytesAsync(lease.LeaseId, "a-1-1.x86_64\n"u8.ToArray(), "packages.txt", "root-packages")).Message!.ShouldContain("named root-packages.txt");
        var huge = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("package-with-a-long-name-1.0-1.oe2403.aarch64\n", 50_000)));
        (await UploadBytesAsync(lease.LeaseId, huge, "root-packages.txt", "root-packages")).Error.ShouldBe(ServiceError.TooLarge);
    }

    private Task<ServiceResult<BuildDto>> SubmitAsync(SubmitBuildRequest request) => harness.Builds(b => b.SubmitAsync("tester", request, default));

    private async Task<BuildSource> SourceAsync()
    {
        var upload = await harness.Builds(b => b.UploadSourceAsync(File.OpenRead(packages.Srpm), "srpm", null, default));
        return new BuildSource(SourceKind.Srpm, upload.Value!.Sha256, "hello-1.0-1.src.rpm");
    }

    private Task<JobLease?> LeaseAsync(string worker, string arch, bool buildRoots) =>
        harness.Jobs(j => j.LeaseAsync(new LeaseRequest(worker, arch, 1, WaitSeconds: 0, Environment: "toolchain-1", BuildRoots: buildRoots), default));

    private async Task UploadAsync(string leaseId, string path, string name, string kind) =>
        (await UploadBytesAsync(leaseId, await File.ReadAllBytesAsync(path), name, kind)).IsSuccess.ShouldBeTrue();

    private Task<ServiceResult<Data.Entities.ArtifactRecord>> UploadBytesAsync(string leaseId, byte[] bytes, string name, string kind) =>
        harness.Jobs(j => j.PutArtifactAsync(leaseId, name, kind, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), new MemoryStream(bytes), default));

    /// <summary>On SQLite.</summary>
    public sealed class OnSqlite(PackagesFixture packages) : TargetBuildTests(packages, DatabaseEngine.Sqlite);

    /// <summary>On PostgreSQL.</summary>
    public sealed class OnPostgres(PackagesFixture packages) : TargetBuildTests(packages, DatabaseEngine.Postgres);
}
