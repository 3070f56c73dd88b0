using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Forgeline.Data.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Builds.Tests;

/// <summary>Leases on fake time: expiry, requeue, stale workers, cancellation, release; on each database engine.</summary>
public abstract class LeaseTests(PackagesFixture packages, DatabaseEngine engine) : IClassFixture<PackagesFixture>, IAsyncLifetime
{
    private BuildsHarness harness = null!;

    public async Task InitializeAsync() => harness = await BuildsHarness.CreateAsync(engine, new()
    {
        ["Forgeline:Builds:LeaseSeconds"] = "30",
        ["Forgeline:Builds:MaxAttempts"] = "2",
    });

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Builds_are_leased_oldest_first_and_only_once()
    {
        var first = await SubmitAsync();
        var second = await SubmitAsync();

        var a = await LeaseAsync("worker-a");
        var b = await LeaseAsync("worker-b");
        var none = await LeaseAsync("worker-c");

        a!.BuildId.ShouldBe(first);
        b!.BuildId.ShouldBe(second);
        none.ShouldBeNull();
        a.LeaseId.ShouldNotBe(b.LeaseId);
    }

    [Fact]
    public async Task Concurrent_workers_never_get_the_same_build()
    {
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await SubmitAsync());
        }

        var leases = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => LeaseAsync($"w{i}")));
        var leased = leases.Where(l => l is not null).Select(l => l!.BuildId).ToList();
        leased.Count.ShouldBe(6);
        leased.ShouldBeUnique();
        leased.Order().ShouldBe(ids);
    }

    [Fact]
    public async Task A_lapsed_lease_puts_the_build_back_and_another_worker_finishes_it()
    {
        var id = await SubmitAsync();
        var lost = (await LeaseAsync("worker-lost"))!;

        harness.Time.Advance(TimeSpan.FromSeconds(29));
        (await harness.Reaper.ReapAsync(CancellationToken.None)).ShouldBe(0, "the lease still holds");
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        (await harness.Reaper.ReapAsync(CancellationToken.None)).ShouldBe(1);

        var requeued = await GetAsync(id);
        requeued.State.ShouldBe("queued");
        requeued.Reason!.ShouldContain("worker-lost was lost");

        // It waited the lease out already: it goes at once, before the owner's build submitted meanwhile.
        var newer = await SubmitAsync();
        var next = (await LeaseAsync("worker-b"))!;
        next.BuildId.ShouldBe(id, $"the requeued build {id} goes before the newer {newer}");
        next.Attempt.ShouldBe(2);

        // The lost worker comes back: it may not heartbeat, log, upload or complete any more.
        (await harness.Jobs(j => j.HeartbeatAsync(lost.LeaseId, default))).Error.ShouldBe(ServiceError.Conflict);
        (await harness.Jobs(j => j.AppendLogAsync(lost.LeaseId, 0, [1], default))).Error.ShouldBe(ServiceError.Conflict);
        (await harness.Jobs(j => j.CompleteAsync(lost.LeaseId, new CompleteJobRequest(JobOutcome.Failed, "x", null), default))).Error.ShouldBe(ServiceError.Conflict);

        await UploadRpmAsync(next.LeaseId);
        (await harness.Jobs(j => j.CompleteAsync(next.LeaseId, new CompleteJobRequest(JobOutcome.Succeeded, null, "hello-1.0-1"), default))).Value.ShouldBe(BuildState.Succeeded);
        var done = await GetAsync(id);
        done.State.ShouldBe("succeeded");
        done.Artifacts.Select(a => a.Kind).ShouldBe(["rpm", "log"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_restarted_worker_gets_its_old_builds_queued_again_at_once()
    {
        var id = await SubmitAsync();
        var old = (await harness.Jobs(j => j.LeaseAsync(new LeaseRequest("phoenix", BuildArch, 1, 0, "process-1"), default)))!;
        old.BuildId.ShouldBe(id);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        var again = await harness.Jobs(j => j.LeaseAsync(new LeaseRequest("phoenix", BuildArch, 1, 0, "process-2"), default));

        again!.BuildId.ShouldBe(id, "the build the old process held is leased to the new one without waiting for the lease to lapse");
        again.Attempt.ShouldBe(2);
        (await harness.Jobs(j => j.HeartbeatAsync(old.LeaseId, default))).Error.ShouldBe(ServiceError.Conflict);
        (await harness.Jobs(j => j.LeaseAsync(new LeaseRequest("phoenix", BuildArch, 1, 0, "process-2"), default))).ShouldBeNull("the same process asking again takes nothing back");
        (await GetAsync(id)).State.ShouldBe("running");
    }

    [Fact]
    public async Task Heartbeats_keep_a_lease_alive()
    {
        var id = await SubmitAsync();
        var lease = (await LeaseAsync("w"))!;
        for (var i = 0; i < 5; i++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(20));
            (await harness.Jobs(j => j.HeartbeatAsync(lease.LeaseId, default))).IsSuccess.ShouldBeTrue();
            await harness.Reaper.ReapAsync(CancellationToken.None);
        }

        (await GetAsync(id)).State.ShouldBe("running");
    }

    [Fact]
    public async Task A_build_that_loses_every_worker_fails_after_the_last_attempt()
    {
        var id = await SubmitAsync();
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            (await LeaseAsync($"w{attempt}"))!.Attempt.ShouldBe(attempt);
            harness.Time.Advance(TimeSpan.FromSeconds(31));
            await harness.Reaper.ReapAsync(CancellationToken.None);
        }

        var build = await GetAsync(id);
        build.State.ShouldBe("failed");
        build.Reason!.ShouldContain("giving up after 2 attempts");
        (await LeaseAsync("w3")).ShouldBeNull();
    }

    [Fact]
    public async Task Cancel_of_a_queued_build_is_immediate_and_of_a_running_one_reaches_the_worker()
    {
        var queued = await SubmitAsync();
        (await harness.Builds(b => b.CancelAsync(queued, "alice", null, default))).Value!.State.ShouldBe("canceled");

        var running = await SubmitAsync();
        var lease = (await LeaseAsync("w"))!;
        lease.BuildId.ShouldBe(running);
        (await harness.Builds(b => b.CancelAsync(running, "alice", null, default))).Value!.State.ShouldBe("running");
        (await harness.Jobs(j => j.HeartbeatAsync(lease.LeaseId, default))).Value!.CancelRequested.ShouldBeTrue();
        await harness.Jobs(j => j.CompleteAsync(lease.LeaseId, new CompleteJobRequest(JobOutcome.Canceled, null, null), default));
        var build = await GetAsync(running);
        build.State.ShouldBe("canceled");
        build.Reason.ShouldBe("canceled by alice");

        (await harness.Builds(b => b.CancelAsync(running, "alice", null, default))).Error.ShouldBe(ServiceError.Conflict);
        (await harness.Builds(b => b.CancelAsync(999_999, "alice", null, default))).Error.ShouldBe(ServiceError.NotFound);

        var theirs = await SubmitAsync();
        var refused = await harness.Builds(b => b.CancelAsync(theirs, "mallory", "mallory", default));
        refused.Error.ShouldBe(ServiceError.Forbidden);
        refused.Message!.ShouldContain("belongs to tester");
        (await GetAsync(theirs)).State.ShouldBe("queued");
        (await harness.Builds(b => b.CancelAsync(theirs, "tester-ci", "tester", default))).Value!.State.ShouldBe("canceled", "another token of the same owner may");
    }

    [Fact]
    public async Task A_lease_that_lapses_while_the_server_cannot_write_is_left_to_its_worker_a_while_and_then_not_counted()
    {
        var id = await SubmitAsync();
        (await LeaseAsync("w")).ShouldNotBeNull();
        var storage = await harness.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<StorageHealth>()));

        harness.Time.Advance(TimeSpan.FromSeconds(25));
        storage.NoteFault();
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        (await harness.Reaper.ReapAsync(CancellationToken.None)).ShouldBe(0, "lapsed, but within a lease of the server's full disk: the worker may still report");
        harness.Time.Advance(TimeSpan.FromSeconds(21));
        (await harness.Reaper.ReapAsync(CancellationToken.None)).ShouldBe(1);

        var requeued = await GetAsync(id);
        requeued.State.ShouldBe("queued");
        requeued.Reason!.ShouldContain("the server ran out of space meanwhile, so the attempt does not count");
        harness.Time.Advance(TimeSpan.FromSeconds(10));
        (await LeaseAsync("w2"))!.Attempt.ShouldBe(1);
    }

    [Fact]
    public async Task A_worker_error_during_a_full_disk_is_retried_without_counting_but_one_before_it_counts()
    {
        var id = await SubmitAsync();
        var first = (await LeaseAsync("w"))!;
        var error = new CompleteJobRequest(JobOutcome.Error, "the server did not take hello-1.0-1.noarch.rpm", null);
        var storage = await harness.InScopeAsync(sp => Task.FromResult(sp.GetRequiredService<StorageHealth>()));
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        storage.NoteFault();
        (await harness.Jobs(j => j.CompleteAsync(first.LeaseId, error, default))).Value.ShouldBe(BuildState.Queued);

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var second = (await LeaseAsync("w"))!;
        second.Attempt.ShouldBe(1, "the attempt the full disk broke does not count");

        // A failure with no fault of the server since the attempt began counts, as before: MaxAttempts is 2 here.
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        (await harness.Jobs(j => j.CompleteAsync(second.LeaseId, error, default))).Value.ShouldBe(BuildState.Queued);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var third = (await LeaseAsync("w"))!;
        third.Attempt.ShouldBe(2);
        (await harness.Jobs(j => j.CompleteAsync(third.LeaseId, error, default))).Value.ShouldBe(BuildState.Failed);
        (await GetAsync(id)).Reason!.ShouldContain("giving up after 2 attempts");
    }

    [Fact]
    public async Task A_canceled_build_whose_worker_vanished_ends_canceled_not_requeued()
    {
        var id = await SubmitAsync();
        await LeaseAsync("w");
        await harness.Builds(b => b.CancelAsync(id, "bob", null, default));
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        await harness.Reaper.ReapAsync(CancellationToken.None);
        (await GetAsync(id)).State.ShouldBe("canceled");
    }

    [Fact]
    public async Task A_released_job_is_queued_again_without_using_an_attempt()
    {
        var id = await SubmitAsync();
        var lease = (await LeaseAsync("w"))!;
        (await harness.Jobs(j => j.ReleaseAsync(lease.LeaseId, default))).Value.ShouldBe(BuildState.Queued);
        (await LeaseAsync("w2"))!.Attempt.ShouldBe(1);
        (await GetAsync(id)).State.ShouldBe("running");
    }

    [Fact]
    public async Task Success_without_rpms_is_recorded_as_a_failure()
    {
        var id = await SubmitAsync();
        var lease = (await LeaseAsync("w"))!;
        (await harness.Jobs(j => j.CompleteAsync(lease.LeaseId, new CompleteJobRequest(JobOutcome.Succeeded, null, null), default))).Value.ShouldBe(BuildState.Failed);
        (await GetAsync(id)).Reason!.ShouldContain("no RPMs");
    }

    [Fact]
    public async Task An_artifact_that_does_not_match_its_digest_or_format_is_refused()
    {
        await SubmitAsync();
        var lease = (await LeaseAsync("w"))!;
        var bytes = await File.ReadAllBytesAsync(packages.Rpm);
        var wrong = await harness.Jobs(j => j.PutArtifactAsync(lease.LeaseId, "hello-1.0-1.noarch.rpm", "rpm", new string('a', 64), new MemoryStream(bytes), default));
        wrong.Error.ShouldBe(ServiceError.Invalid);

        var text = "not an rpm"u8.ToArray();
        var notRpm = await harness.Jobs(j => j.PutArtifactAsync(lease.LeaseId, "x-1-1.noarch.rpm", "rpm", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(text)), new MemoryStream(text), default));
        notRpm.Error.ShouldBe(ServiceError.Invalid);

        var traversal = await harness.Jobs(j => j.PutArtifactAsync(lease.LeaseId, "../../x.rpm", "rpm", new string('a', 64), new MemoryStream(bytes), default));
        traversal.Error.ShouldBe(ServiceError.Invalid);
    }

    private async Task<long> SubmitAsync()
    {
        var upload = await harness.Builds(b => b.UploadSourceAsync(File.OpenRead(packages.Srpm), "srpm", null, default));
        var build = await harness.Builds(b => b.SubmitAsync("tester", new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Value!.Sha256, "hello-1.0-1.src.rpm")), default));
        return build.Value!.Id;
    }

    private Task<JobLease?> LeaseAsync(string worker) =>
        harness.Jobs(j => j.LeaseAsync(new LeaseRequest(worker, BuildArch, 1, WaitSeconds: 0), default));

    private string BuildArch => new BuildsOptions().DefaultArch;
    [Fact]
    public async Task A_completion_carries_the_log_tail_and_names_the_srpm_it_was_given_instead_of_uploading_it()
    {
        var id = await SubmitAsync();
        var lease = (await LeaseAsync("w"))!;
        lease.Protocol.ShouldBe(JobLease.CompleteCarriesMore);
        (await harness.Jobs(j => j.AppendLogAsync(lease.LeaseId, 0, "building\n"u8.ToArray(), default))).IsSuccess.ShouldBeTrue();
        await UploadRpmAsync(lease.LeaseId);

        var done = new CompleteJobRequest(JobOutcome.Succeeded, null, "hello-1.0-1", LogOffset: 9, LogTail: "build succeeded\n"u8.ToArray(),
            StoredArtifacts: [new StoredArtifact("hello-1.0-1.src.rpm", "srpm", lease.Source.Blob!)]);
        (await harness.Jobs(j => j.CompleteAsync(lease.LeaseId, done, default))).Value.ShouldBe(BuildState.Succeeded);

        var build = await GetAsync(id);
        build.Artifacts.Single(a => a.Kind == "srpm").Sha256.ShouldBe(lease.Source.Blob);
        (await File.ReadAllTextAsync(harness.Logs.PathOf(id))).ShouldBe("building\nbuild succeeded\n");
    }

    [Fact]
    public async Task Only_the_builds_own_source_can_be_named_by_digest_and_a_refused_completion_finishes_nothing()
    {
        var id = await SubmitAsync();
        var lease = (await LeaseAsync("w"))!;
        await UploadRpmAsync(lease.LeaseId);
        var rpmSha = await Sha256Hex.OfFileAsync(packages.Rpm);

        foreach (var named in new[] { new StoredArtifact("hello-1.0-1.src.rpm", "srpm", rpmSha), new StoredArtifact("hello-1.0-1.src.rpm", "srpm", new string('b', 64)), new StoredArtifact("../x.src.rpm", "srpm", lease.Source.Blob!) })
        {
            var refused = await harness.Jobs(j => j.CompleteAsync(lease.LeaseId, new CompleteJobRequest(JobOutcome.Succeeded, null, null, StoredArtifacts: [named]), default));
            refused.Error.ShouldBe(ServiceError.Invalid, named.ToString());
        }

        (await GetAsync(id)).State.ShouldBe("running");
        (await harness.Jobs(j => j.CompleteAsync(lease.LeaseId, new CompleteJobRequest(JobOutcome.Succeeded, null, null, LogOffset: 5, LogTail: "gap\n"u8.ToArray()), default)))
            .Error.ShouldBe(ServiceError.Conflict, "a tail past the end of the log is refused like a log append");
        (await harness.Jobs(j => j.CompleteAsync(lease.LeaseId, new CompleteJobRequest(JobOutcome.Succeeded, null, null), default))).Value.ShouldBe(BuildState.Succeeded);
    }


    private async Task<BuildDto> GetAsync(long id) => (await harness.Builds(b => b.GetAsync(id, default))).Value!;

    private async Task UploadRpmAsync(string leaseId)
    {
        var sha = await Sha256Hex.OfFileAsync(packages.Rpm);
        var result = await harness.Jobs(async j =>
        {
            await using var file = File.OpenRead(packages.Rpm);
            return await j.PutArtifactAsync(leaseId, Path.GetFileName(packages.Rpm), "rpm", sha, file, default);
        });
        result.IsSuccess.ShouldBeTrue(result.Message);
    }

    /// <summary>On SQLite.</summary>
    public sealed class OnSqlite(PackagesFixture packages) : LeaseTests(packages, DatabaseEngine.Sqlite);

    /// <summary>On PostgreSQL.</summary>
    public sealed class OnPostgres(PackagesFixture packages) : LeaseTests(packages, DatabaseEngine.Postgres);
}
