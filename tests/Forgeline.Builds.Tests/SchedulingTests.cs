using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Builds.Tests;

/// <summary>The scheduler through the services and the database: fairness, matching, retries, the build cache, history, worker admin.</summary>
public abstract class SchedulingTests(PackagesFixture packages, DatabaseEngine engine) : IClassFixture<PackagesFixture>, IAsyncLifetime
{
    private const string Arch = "x86_64";
    private const string Environment = "debian-12-test";
    private BuildsHarness harness = null!;
    private string srpm = "";

    public async Task InitializeAsync()
    {
        harness = await BuildsHarness.CreateAsync(engine, new()
        {
            ["Forgeline:Builds:LeaseSeconds"] = "30",
            ["Forgeline:Builds:MaxAttempts"] = "3",
            ["Forgeline:Builds:RetryBackoffSeconds"] = "10",
        });
        srpm = (await harness.Builds(b => b.UploadSourceAsync(File.OpenRead(packages.Srpm), "srpm", null, default))).Value!.Sha256;
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task A_single_build_of_another_owner_starts_before_the_rest_of_a_mass_rebuild()
    {
        for (var i = 0; i < 20; i++)
        {
            await SubmitAsync("mass", new SubmitBuildRequest(Source(), Arch, NoCache: true));
        }

        (await LeaseAsync("w1"))!.BuildId.ShouldBe(1);
        var mine = await SubmitAsync("alice", new SubmitBuildRequest(Source(), Arch, NoCache: true));

        (await LeaseAsync("w2"))!.BuildId.ShouldBe(mine);
        (await LeaseAsync("w3"))!.BuildId.ShouldBe(2);

        var queue = await harness.InScopeAsync(sp => sp.GetRequiredService<QueueService>().GetAsync(null, null, 100, default));
        queue.Total.ShouldBe(18);
        queue.Items.Select(i => i.Position).ShouldBe(Enumerable.Range(1, 18));
        queue.Items[0].Id.ShouldBe(3);
        queue.Owners.Single(o => o.Owner == "mass").ShouldBe(new QueueOwnerDto("mass", 1, 2, 18, 1));
        queue.Owners.Single(o => o.Owner == "alice").Running.ShouldBe(1);
    }

    [Fact]
    public async Task An_admin_weight_gives_an_owner_a_larger_share()
    {
        (await harness.InScopeAsync(sp => sp.GetRequiredService<QueueService>().SetWeightAsync("big", 3, default))).Message!.ShouldContain("no user or group named 'big'");
        await harness.InScopeAsync(sp => sp.GetRequiredService<Accounts.GroupService>().CreateGroupAsync(new Core.Accounts.CreateGroupRequest("big"), "admin", default));
        (await harness.InScopeAsync(sp => sp.GetRequiredService<QueueService>().SetWeightAsync("big", 3, default))).IsSuccess.ShouldBeTrue();
        (await harness.InScopeAsync(sp => sp.GetRequiredService<QueueService>().SetWeightAsync("big", 0, default))).Error.ShouldBe(ServiceError.Invalid);
        for (var i = 0; i < 8; i++)
        {
            await SubmitAsync("big", new SubmitBuildRequest(Source(), Arch, NoCache: true));
            await SubmitAsync("small", new SubmitBuildRequest(Source(), Arch, NoCache: true));
        }

        var owners = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var lease = (await LeaseAsync($"w{i}"))!;
            owners.Add((await GetAsync(lease.BuildId)).Owner);
        }

        owners.Count(o => o == "big").ShouldBe(6);
        owners.Count(o => o == "small").ShouldBe(2);
    }

    [Fact]
    public async Task High_priority_builds_of_an_owner_go_first()
    {
        var normal = await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, NoCache: true));
        var low = await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, BuildPriority.Low, NoCache: true));
        var high = await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, BuildPriority.High, NoCache: true));

        (await LeaseAsync("w1"))!.BuildId.ShouldBe(high);
        (await LeaseAsync("w2"))!.BuildId.ShouldBe(normal);
        (await LeaseAsync("w3"))!.BuildId.ShouldBe(low);
        (await GetAsync(high)).Priority.ShouldBe(BuildPriority.High);
    }

    [Fact]
    public async Task Builds_only_go_to_workers_of_their_arch_with_every_label_they_need()
    {
        var kvm = await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, Labels: ["KVM"], NoCache: true));
        var arm = await SubmitAsync("a", new SubmitBuildRequest(Source(), "aarch64", NoCache: true));

        (await LeaseAsync("plain")).ShouldBeNull();
        (await LeaseAsync("arm-box", arch: "aarch64", labels: ["kvm"]))!.BuildId.ShouldBe(arm);
        (await LeaseAsync("kvm-box", labels: ["big", "kvm"]))!.BuildId.ShouldBe(kvm);
        (await GetAsync(kvm)).Labels.ShouldBe(["kvm"]);

        var bad = await harness.Builds(b => b.SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, Labels: ["no spaces"]), default));
        bad.Error.ShouldBe(ServiceError.Invalid);
        bad.Message!.ShouldContain("label");
    }

    [Fact]
    public async Task A_worker_error_is_retried_after_a_backoff_and_fails_after_the_last_attempt()
    {
        var id = await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, NoCache: true));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var lease = (await LeaseAsync("w"))!;
            lease.Attempt.ShouldBe(attempt);
            var state = await harness.Jobs(j => j.CompleteAsync(lease.LeaseId, new CompleteJobRequest(JobOutcome.Error, "no space left on device", null), default));
            state.Value.ShouldBe(attempt < 3 ? BuildState.Queued : BuildState.Failed);
            if (attempt < 3)
            {
                var waiting = await GetAsync(id);
                waiting.Reason!.ShouldContain("no space left on device");
                (await LeaseAsync("w")).ShouldBeNull("the retry waits out its backoff");
                harness.Time.Advance(TimeSpan.FromSeconds(10 * Math.Pow(2, attempt - 1)));
            }
        }

        (await GetAsync(id)).Reason!.ShouldContain("giving up after 3 attempts");
        var history = await HistoryAsync(id);
        history.ShouldBe(["queued", "started", "requeued", "started", "requeued", "started", "finished"]);
    }

    [Fact]
    public async Task An_unchanged_package_built_in_the_same_environment_is_not_built_again()
    {
        var first = await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch));
        await SucceedAsync(first);

        var again = await harness.Builds(b => b.SubmitAsync("b", new SubmitBuildRequest(Source(), Arch), default));
        var cached = again.Value!;
        cached.State.ShouldBe("succeeded");
        cached.CachedFrom.ShouldBe(first);
        cached.Artifacts.Where(a => a.Kind == "rpm").Select(a => a.Sha256).ShouldBe((await GetAsync(first)).Artifacts.Where(a => a.Kind == "rpm").Select(a => a.Sha256));
        var (log, _) = await harness.Builds(b => b.OpenArtifactAsync(cached.Id, "build.log", default));
        log.ShouldNotBeNull();
        (await HistoryAsync(cached.Id)).ShouldBe(["queued", "finished"]);

        // A later hit names the build that made the packages too, not the earlier hit, and tells it with the same log.
        var later = (await harness.Builds(b => b.SubmitAsync("c", new SubmitBuildRequest(Source(), Arch), default))).Value!;
        later.CachedFrom.ShouldBe(first);
        later.Artifacts.Single(a => a.Name == "build.log").Sha256.ShouldBe(cached.Artifacts.Single(a => a.Name == "build.log").Sha256);

        // Anything that changes the inputs or the environment builds again.
        (await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, NoCache: true))).ShouldBeGreaterThan(later.Id);
        (await GetAsync(later.Id + 1)).State.ShouldBe("queued", "--no-cache");
        (await GetAsync(await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, Macros: new Dictionary<string, string> { ["dist"] = ".oe2403" })))).State.ShouldBe("queued");
        (await GetAsync(await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, Labels: ["big"])))).State.ShouldBe("queued");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        await LeaseAsync("newer-toolchain", environment: "debian-13-other");
        (await GetAsync(await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch)))).State.ShouldBe("queued", "the last worker seen has another environment");
    }

    [Fact]
    public async Task Macros_reach_the_worker_and_bad_ones_are_refused()
    {
        var macros = new Dictionary<string, string> { ["dist"] = ".oe2403", ["_with_tests"] = "1" };
        var id = await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, Macros: macros));
        (await LeaseAsync("w"))!.Macros.ShouldBe(macros);
        (await GetAsync(id)).Macros.ShouldBe(macros);

        foreach (var bad in new Dictionary<string, string>[] { new() { ["1x"] = "v" }, new() { ["a-b"] = "v" }, new() { ["ok"] = "two\nlines" } })
        {
            (await harness.Builds(b => b.SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, Macros: bad), default))).Error.ShouldBe(ServiceError.Invalid);
        }
    }

    [Fact]
    public async Task A_build_ends_only_once_even_if_something_tries_to_record_a_second_end()
    {
        var id = await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, NoCache: true));
        (await harness.Builds(b => b.CancelAsync(id, "a", null, default))).IsSuccess.ShouldBeTrue();

        await harness.InScopeAsync<int>(async sp =>
        {
            var db = sp.GetRequiredService<ForgelineDbContext>();
            BuildHistory.Record(db, id, BuildEventKinds.Finished, BuildState.Failed, DateTime.UtcNow);
            await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
            return 0;
        });
        (await HistoryAsync(id)).ShouldBe(["queued", "finished"]);
    }

    [Fact]
    public async Task A_drained_worker_takes_nothing_new_and_a_disabled_one_hands_its_build_back()
    {
        var first = await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, NoCache: true));
        var second = await SubmitAsync("a", new SubmitBuildRequest(Source(), Arch, NoCache: true));
        var lease = (await LeaseAsync("w"))!;
        lease.BuildId.ShouldBe(first);

        var drained = await Workers(w => w.ApplyAsync("w", "drain", "admin", default));
        drained.Value!.State.ShouldBe("draining");
        (await LeaseAsync("w")).ShouldBeNull();
        (await harness.Jobs(j => j.HeartbeatAsync(lease.LeaseId, default))).IsSuccess.ShouldBeTrue("running builds finish");

        (await Workers(w => w.ApplyAsync("w", "disable", "admin", default))).Value!.State.ShouldBe("disabled");
        (await harness.Jobs(j => j.HeartbeatAsync(lease.LeaseId, default))).Error.ShouldBe(ServiceError.Conflict, "the worker learns its build is gone");
        var handedBack = await GetAsync(first);
        (handedBack.State, handedBack.Attempt).ShouldBe(("queued", 0));
        (await LeaseAsync("w")).ShouldBeNull();

        (await LeaseAsync("other"))!.BuildId.ShouldBe(first);
        (await Workers(w => w.ApplyAsync("w", "enable", "admin", default))).IsSuccess.ShouldBeTrue();
        (await LeaseAsync("w"))!.BuildId.ShouldBe(second);
        (await Workers(w => w.ApplyAsync("nobody", "drain", "admin", default))).Error.ShouldBe(ServiceError.NotFound);
        (await Workers(w => w.ApplyAsync("w", "explode", "admin", default))).Error.ShouldBe(ServiceError.Invalid);
    }

    private BuildSource Source() => new(SourceKind.Srpm, srpm, "hello-1.0-1.src.rpm");

    private async Task<long> SubmitAsync(string owner, SubmitBuildRequest request)
    {
        var result = await harness.Builds(b => b.SubmitAsync(owner, request, default));
        result.IsSuccess.ShouldBeTrue(result.Message);
        return result.Value!.Id;
    }

    private Task<JobLease?> LeaseAsync(string worker, string arch = Arch, string[]? labels = null, string environment = Environment) =>
        harness.Jobs(j => j.LeaseAsync(new LeaseRequest(worker, arch, 1, WaitSeconds: 0, Labels: labels, Environment: environment), default));

    private Task<ServiceResult<WorkerDto>> Workers(Func<WorkerService, Task<ServiceResult<WorkerDto>>> action) =>
        harness.InScopeAsync(sp => action(sp.GetRequiredService<WorkerService>()));

    private async Task SucceedAsync(long id)
    {
        var lease = (await LeaseAsync("builder"))!;
        lease.BuildId.ShouldBe(id);
        var sha = await Sha256Hex.OfFileAsync(packages.Rpm);
        var put = await harness.Jobs(async j =>
        {
            await using var file = File.OpenRead(packages.Rpm);
            return await j.PutArtifactAsync(lease.LeaseId, Path.GetFileName(packages.Rpm), "rpm", sha, file, default);
        });
        put.IsSuccess.ShouldBeTrue(put.Message);
        (await harness.Jobs(j => j.CompleteAsync(lease.LeaseId, new CompleteJobRequest(JobOutcome.Succeeded, null, "hello-1.0-1"), default))).Value.ShouldBe(BuildState.Succeeded);
    }

    private async Task<BuildDto> GetAsync(long id) => (await harness.Builds(b => b.GetAsync(id, default))).Value!;

    private Task<List<string>> HistoryAsync(long id) => harness.InScopeAsync(sp =>
        sp.GetRequiredService<ForgelineDbContext>().BuildEvents.Where(e => e.BuildId == id).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());

    /// <summary>On SQLite.</summary>
    public sealed class OnSqlite(PackagesFixture packages) : SchedulingTests(packages, DatabaseEngine.Sqlite);

    /// <summary>On PostgreSQL.</summary>
    public sealed class OnPostgres(PackagesFixture packages) : SchedulingTests(packages, DatabaseEngine.Postgres);
}
