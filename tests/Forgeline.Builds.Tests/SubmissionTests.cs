using Forgeline.Core;
using System.Security.Cryptography;
using Forgeline.Core.Builds;
using Forgeline.Data;

namespace Forgeline.Builds.Tests;

/// <summary>What a user may submit, and the clear errors for what they may not; bad uploads leave nothing behind. On each database engine.</summary>
public abstract class SubmissionTests(PackagesFixture packages, DatabaseEngine engine) : IClassFixture<PackagesFixture>, IAsyncLifetime
{
    private BuildsHarness harness = null!;

    public async Task InitializeAsync() => harness = await BuildsHarness.CreateAsync(engine);

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task An_srpm_upload_is_stored_and_its_build_knows_the_package()
    {
        var upload = await UploadAsync(await File.ReadAllBytesAsync(packages.Srpm), "srpm");
        upload.IsSuccess.ShouldBeTrue(upload.Message);
        harness.Store.Contains(upload.Value!.Sha256).ShouldBeTrue();

        var build = await harness.Builds(b => b.SubmitAsync("alice", new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value.Sha256, "../../hello-1.0-1.src.rpm")), default));
        build.Value!.Package.ShouldBe("hello-1.0-1");
        build.Value.State.ShouldBe("queued");
        build.Value.Owner.ShouldBe("alice");
        build.Value.Source.FileName.ShouldBe("hello-1.0-1.src.rpm", "a client-given name is reduced to a file name");
    }

    [Fact]
    public async Task Text_uploaded_as_an_srpm_is_refused_and_not_stored()
    {
        var result = await UploadAsync("definitely not an rpm"u8.ToArray(), "srpm");
        result.Error.ShouldBe(ServiceError.Invalid);
        result.Message!.ShouldContain("not an RPM");
        StoredBlobs().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_binary_rpm_uploaded_as_an_srpm_is_refused()
    {
        var result = await UploadAsync(await File.ReadAllBytesAsync(packages.Rpm), "srpm");
        result.Message!.ShouldContain("binary RPM, not a source RPM");
        StoredBlobs().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_truncated_srpm_is_refused()
    {
        var bytes = await File.ReadAllBytesAsync(packages.Srpm);
        var result = await UploadAsync(bytes[..300], "srpm");
        result.Error.ShouldBe(ServiceError.Invalid);
        StoredBlobs().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_upload_whose_digest_does_not_match_is_refused()
    {
        var bytes = await File.ReadAllBytesAsync(packages.Srpm);
        var result = await harness.Builds(b => b.UploadSourceAsync(new MemoryStream(bytes), "srpm", new string('b', 64), default));
        result.Error.ShouldBe(ServiceError.Invalid);
        result.Message!.ShouldContain("damaged");
        StoredBlobs().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_oversized_upload_is_refused()
    {
        await using var small = await BuildsHarness.CreateAsync(engine, new() { ["Forgeline:Builds:MaxUploadBytes"] = "2048" });
        var result = await small.Builds(b => b.UploadSourceAsync(File.OpenRead(packages.Srpm), "srpm", null, default));
        result.Error.ShouldBe(ServiceError.TooLarge);
        Directory.EnumerateFiles(small.Paths.Artifacts, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("file:///etc/passwd", null, null, "not a git URL")]
    [InlineData("/srv/repo.git", null, null, "not a git URL")]
    [InlineData("https://example.invalid/r.git", "--upload-pack=evil", null, "not a valid git ref")]
    [InlineData("https://example.invalid/r.git", "main", "../../x.spec", "relative path")]
    [InlineData("https://example.invalid/r.git", "main", "/etc/x.spec", "relative path")]
    public async Task Unsafe_git_sources_are_refused(string url, string? gitRef, string? spec, string expected)
    {
        var result = await harness.Builds(b => b.SubmitAsync("alice", new SubmitBuildRequest(new BuildSource(SourceKind.Git, Url: url, Ref: gitRef, SpecPath: spec)), default));
        result.Error.ShouldBe(ServiceError.Invalid);
        result.Message!.ShouldContain(expected);
    }

    [Fact]
    public async Task A_build_of_an_unknown_upload_is_refused()
    {
        var result = await harness.Builds(b => b.SubmitAsync("alice", new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, new string('c', 64))), default));
        result.Message!.ShouldContain("upload the file first");
        (await harness.Builds(b => b.SubmitAsync("alice", new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, "../../etc/passwd")), default)))
            .Message!.ShouldContain("must be the sha256");
    }

    [Fact]
    public async Task An_unknown_build_is_not_found_and_a_bad_state_filter_is_explained()
    {
        (await harness.Builds(b => b.GetAsync(424242, default))).Error.ShouldBe(ServiceError.NotFound);
        (await harness.Builds(b => b.ListAsync("sleeping", 10, null, default))).Message!.ShouldContain("unknown state 'sleeping'");
    }

    [Fact]
    public async Task Listing_pages_through_builds_newest_first()
    {
        var upload = await UploadAsync(await File.ReadAllBytesAsync(packages.Srpm), "srpm");
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await harness.Builds(b => b.SubmitAsync("alice", new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value!.Sha256)), default))).Value!.Id);
        }

        var first = (await harness.Builds(b => b.ListAsync(null, 2, null, default))).Value!;
        first.Items.Select(b => b.Id).ShouldBe([ids[4], ids[3]]);
        var second = (await harness.Builds(b => b.ListAsync("queued", 2, first.NextBefore, default))).Value!;
        second.Items.Select(b => b.Id).ShouldBe([ids[2], ids[1]]);
    }

    [Fact]
    public async Task A_second_submission_with_the_same_origin_returns_the_first_build_and_makes_no_other()
    {
        var upload = await UploadAsync(await File.ReadAllBytesAsync(packages.Srpm), "srpm");
        var request = new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value!.Sha256));
        var first = await harness.Builds(b => b.SubmitAsync("alice", request, default, new BuildPlacement(Origin: "batch-entry/7")));
        var again = await harness.Builds(b => b.SubmitAsync("alice", request, default, new BuildPlacement(Origin: "batch-entry/7")));
        var other = await harness.Builds(b => b.SubmitAsync("alice", request, default, new BuildPlacement(Origin: "batch-entry/8")));

        again.Value!.Id.ShouldBe(first.Value!.Id);
        other.Value!.Id.ShouldNotBe(first.Value.Id);
        (await harness.Builds(b => b.ListAsync(null, 10, null, default))).Value!.Items.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Concurrent_submissions_with_one_origin_all_get_the_same_single_build()
    {
        var upload = await UploadAsync(await File.ReadAllBytesAsync(packages.Srpm), "srpm");
        var request = new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value!.Sha256));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            harness.Builds(b => b.SubmitAsync("alice", request, default, new BuildPlacement(Origin: "bot-run/1"))))));

        results.ShouldAllBe(r => r.IsSuccess);
        results.Select(r => r.Value!.Id).Distinct().Count().ShouldBe(1);
        (await harness.Builds(b => b.ListAsync(null, 10, null, default))).Value!.Items.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("line\nbreak")]
    public async Task A_bad_origin_is_refused(string origin)
    {
        var upload = await UploadAsync(await File.ReadAllBytesAsync(packages.Srpm), "srpm");
        var request = new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value!.Sha256));
        var tooLong = await harness.Builds(b => b.SubmitAsync("alice", request, default, new BuildPlacement(Origin: new string('o', BuildPlacement.MaxOriginLength + 1))));
        var bad = await harness.Builds(b => b.SubmitAsync("alice", request, default, new BuildPlacement(Origin: origin)));

        tooLong.Error.ShouldBe(ServiceError.Invalid);
        bad.Error.ShouldBe(ServiceError.Invalid);
        bad.Message!.ShouldContain("origin");
        (await harness.Builds(b => b.ListAsync(null, 10, null, default))).Value!.Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Other_parts_learn_which_builds_ended_and_read_their_artifacts_through_the_service()
    {
        var upload = await UploadAsync(await File.ReadAllBytesAsync(packages.Srpm), "srpm");
        var queued = (await harness.Builds(b => b.SubmitAsync("alice", new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value!.Sha256)), default))).Value!;
        var canceled = (await harness.Builds(b => b.SubmitAsync("alice", new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value!.Sha256)), default))).Value!;
        (await harness.Builds(b => b.CancelAsync(canceled.Id, "alice", "alice", default))).IsSuccess.ShouldBeTrue();

        var ended = await harness.Builds(b => b.EndedAsync([queued.Id, canceled.Id, 424242], default));

        ended.ShouldHaveSingleItem().ShouldBe(new EndedBuild(canceled.Id, BuildState.Canceled, ended.Single().Reason));
        (await harness.Builds(b => b.ArtifactsAsync(queued.Id, "rpm", default))).ShouldBeEmpty();
    }

    private Task<ServiceResult<UploadResult>> UploadAsync(byte[] bytes, string kind) =>
        harness.Builds(b => b.UploadSourceAsync(new MemoryStream(bytes), kind, Convert.ToHexStringLower(SHA256.HashData(bytes)), default));

    private IEnumerable<string> StoredBlobs() => Directory.EnumerateFiles(harness.Paths.Artifacts, "*", SearchOption.AllDirectories);

    /// <summary>On SQLite.</summary>
    public sealed class OnSqlite(PackagesFixture packages) : SubmissionTests(packages, DatabaseEngine.Sqlite);

    /// <summary>On PostgreSQL.</summary>
    public sealed class OnPostgres(PackagesFixture packages) : SubmissionTests(packages, DatabaseEngine.Postgres);
}
