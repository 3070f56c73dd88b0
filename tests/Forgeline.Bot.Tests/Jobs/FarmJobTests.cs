using Forgeline.Bot.Config;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Jobs;
using Forgeline.Bot.Plugins.Ci;
using Forgeline.Bot.Tests.Plugins;
using Forgeline.Builds.Queue;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Forgeline.Bot.Tests.Jobs;

/// <summary>
/// Farm jobs with the real build farm services (submission, queue, events) on SQLite; no worker runs, so the tests end
/// builds in the database the way a worker's report leaves them.
/// </summary>
public sealed class FarmJobTests : IAsyncLifetime
{
    private const string Head = "abc123";
    private JobsHost host = null!;

    private MemoryForge Forge => host.Harness.Forge;

    public async Task InitializeAsync() => host = await CreateHostAsync(runReporter: false);

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Test_submits_a_build_of_the_head_for_the_organisation_and_sets_a_pending_status_linking_to_it()
    {
        Forge.AddPull(1, "maintainer");

        await host.Harness.CommentAsync(1, "maintainer", "/test build");

        var run = (await host.RunsAsync()).ShouldHaveSingleItem();
        (run.Kind, run.State, run.Job).ShouldBe(("farm", "pending", "build"));
        var buildId = run.BuildId.ShouldNotBeNull();
        var build = await host.BuildAsync(buildId);
        (build.Owner, build.SourceKind, build.GitUrl, build.GitRef, build.State).ShouldBe(("bot:openeuler", SourceKind.Git, "https://github.com/openeuler/hello.git", Head, BuildState.Queued));
        var page = $"{JobsHost.PublicUrl}/builds/{buildId}";
        run.DetailsUrl.ShouldBe(page);
        Forge.Statuses[Head]["forgeline/build"].ShouldBe(new CommitStatus("forgeline/build", CommitState.Pending, $"build {buildId} queued on the build farm", page));
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldBe($"@maintainer: started on abc123: [`build`]({page}).");
    }

    [Fact]
    public async Task Nothing_is_reported_while_the_build_runs()
    {
        var buildId = await StartAsync();
        await host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<Forgeline.Data.ForgelineDbContext>();
            (await db.Builds.FindAsync(buildId))!.State = BuildState.Running;
            return await db.SaveChangesAsync();
        });

        (await host.ReportFarmJobsAsync()).ShouldBe(0);

        Forge.Statuses[Head]["forgeline/build"].State.ShouldBe(CommitState.Pending);
        (await host.RunsAsync()).Single().State.ShouldBe("pending");
    }

    public static TheoryData<BuildState, string?, CommitState, string> Endings => new()
    {
        { BuildState.Succeeded, null, CommitState.Success, "succeeded" },
        { BuildState.Failed, "rpmbuild exited with 1", CommitState.Failure, "failed: rpmbuild exited with 1" },
        { BuildState.Canceled, null, CommitState.Error, "was canceled" },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task When_the_build_ends_the_status_and_a_comment_with_the_build_and_its_log_say_how_it_went(BuildState ending, string? reason, CommitState expected, string words)
    {
        var buildId = await StartAsync();
        await host.EndBuildAsync(buildId, ending, reason);

        (await host.ReportFarmJobsAsync()).ShouldBe(1);

        var page = $"{JobsHost.PublicUrl}/builds/{buildId}";
        Forge.Statuses[Head]["forgeline/build"].ShouldBe(new CommitStatus("forgeline/build", expected, $"build {buildId} {words}", page));
        Forge.CommentsOn(1).Count.ShouldBe(2); // the /test reply, then the result
        var comment = Forge.CommentsOn(1)[^1];
        comment.ShouldContain($"build {buildId} {words}");
        comment.ShouldContain($"[Build {buildId}]({page}) · [log]({JobsHost.PublicUrl}/api/v1/builds/{buildId}/log)");
        comment.Contains("/retest", StringComparison.Ordinal).ShouldBe(expected != CommitState.Success);
        var run = (await host.RunsAsync()).Single();
        run.State.ShouldBe(expected.ToString().ToLowerInvariant());
        run.FinishedAt.ShouldNotBeNull();

        // Reported once: the next pass finds nothing.
        (await host.ReportFarmJobsAsync()).ShouldBe(0);
        Forge.CommentsOn(1).Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_run_whose_build_was_deleted_is_closed_with_an_error_status()
    {
        var buildId = await StartAsync();
        await host.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<Forgeline.Data.ForgelineDbContext>();
            db.Builds.Remove((await db.Builds.FindAsync(buildId))!);
            return await db.SaveChangesAsync();
        });

        (await host.ReportFarmJobsAsync()).ShouldBe(1);

        var status = Forge.Statuses[Head]["forgeline/build"];
        (status.State, status.Description).ShouldBe((CommitState.Error, "its build was deleted before it ended"));
        (await host.RunsAsync()).Single().State.ShouldBe("error");
    }

    [Fact]
    public async Task A_forge_that_is_down_is_tried_again_at_the_next_pass_and_one_that_refuses_is_not()
    {
        var buildId = await StartAsync();
        await host.EndBuildAsync(buildId, BuildState.Succeeded);

        Forge.StatusFailure = new ForgeApiException("bad gateway", 502);
        (await host.ReportFarmJobsAsync()).ShouldBe(0);
        (await host.RunsAsync()).Single().State.ShouldBe("pending");

        Forge.StatusFailure = new ForgeApiException("Not Found", 404);
        (await host.ReportFarmJobsAsync()).ShouldBe(1);
        (await host.RunsAsync()).Single().State.ShouldBe("success");
        Forge.CommentsOn(1).ShouldHaveSingleItem(); // only the /test reply
    }

    [Fact]
    public async Task A_forge_that_fails_the_pending_status_does_not_lose_the_run()
    {
        Forge.StatusFailure = new ForgeApiException("bad gateway", 502);
        var buildId = await StartAsync();
        Forge.StatusFailure = null;
        Forge.Statuses.ShouldBeEmpty();

        await host.EndBuildAsync(buildId, BuildState.Succeeded);
        (await host.ReportFarmJobsAsync()).ShouldBe(1);

        Forge.Statuses[Head]["forgeline/build"].State.ShouldBe(CommitState.Success);
    }

    [Fact]
    public async Task An_event_without_a_clone_url_gets_an_error_status_instead_of_a_build()
    {
        Forge.AddPull(1, "maintainer");

        await host.Harness.SendAsync(host.Harness.EventFor(1, BotEventKind.Comment, "created", "maintainer") with { Comment = new CommentInfo("c1", "/test build"), CloneUrl = null });

        Forge.Statuses[Head]["forgeline/build"].ShouldBe(new CommitStatus("forgeline/build", CommitState.Error, "could not start: the forge did not say where to clone the repository from"));
        var run = (await host.RunsAsync()).ShouldHaveSingleItem();
        (run.State, run.BuildId).ShouldBe(("error", null));
    }

    [Fact]
    public async Task A_farm_run_takes_no_reports_over_the_api()
    {
        var buildId = await StartAsync();
        var runId = (await host.RunsAsync()).Single().Id;

        (await host.ReportAsync(runId, "anything", "success")).Error.ShouldBe(ServiceError.NotFound);
        (await host.BuildAsync(buildId)).State.ShouldBe(BuildState.Queued);
    }

    [Fact]
    public async Task The_hosted_reporter_reports_when_the_farm_says_a_build_ended()
    {
        await host.DisposeAsync();
        host = await CreateHostAsync(runReporter: true);
        var reporter = host.Services.GetServices<IHostedService>().OfType<FarmJobReporter>().Single();
        await reporter.StartAsync(CancellationToken.None);
        try
        {
            var buildId = await StartAsync();
            await host.EndBuildAsync(buildId, BuildState.Failed, "missing BuildRequires: gcc");
            await host.Services.GetRequiredService<FarmEvents>().EndedAsync(buildId, "bot:openeuler", CancellationToken.None);

            await Forge.WaitForCallAsync(c => c == "Comment #1" && Forge.CommentsOn(1).Count == 2, TimeSpan.FromSeconds(30));
            Forge.CommentsOn(1)[^1].ShouldContain("missing BuildRequires: gcc");
            Forge.Statuses[Head]["forgeline/build"].State.ShouldBe(CommitState.Failure);
        }
        finally
        {
            await reporter.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<JobsHost> CreateHostAsync(bool runReporter)
    {
        var created = await JobsHost.CreateAsync([TestPlugins.Create<CiPlugin>()], runReporter);
        created.Harness.RepoConfig.Jobs = [new JobConfig { Name = "build", Farm = true, AlwaysRun = false }];
        created.Harness.Forge.Collaborators.Add("maintainer");
        return created;
    }

    /// <summary>Runs <c>/test build</c> on pull request 1; returns the build it submitted.</summary>
    private async Task<long> StartAsync()
    {
        Forge.AddPull(1, "maintainer");
        await host.Harness.CommentAsync(1, "maintainer", "/test build");
        return (await host.RunsAsync()).Single().BuildId!.Value;
    }
}
