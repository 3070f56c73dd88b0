using System.Text.Json;
using Forgeline.Bot.Config;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Plugins;
using Forgeline.Bot.Plugins.Ci;
using Forgeline.Bot.Tests.Jobs;

namespace Forgeline.Bot.Tests.Plugins.Ci;

public sealed class CiPluginTests : IAsyncLifetime
{
    private const string Head = "abc123";
    private readonly LoopbackHttpServer ci = new(_ => (202, "{}"));
    private JobsHost host = null!;

    private PluginHarness Harness => host.Harness;

    private MemoryForge Forge => host.Harness.Forge;

    public async Task InitializeAsync()
    {
        host = await JobsHost.CreateAsync([TestPlugins.Create<CiPlugin>()]);
        Harness.RepoConfig.Jobs =
        [
            new JobConfig { Name = "smoke", Url = ci.BaseUrl + "job/smoke?token=trigger-secret" },
            new JobConfig { Name = "lint", Url = ci.BaseUrl + "job/lint", AlwaysRun = false, Required = false },
        ];
        Forge.Collaborators.Add("maintainer");
        Forge.OrgMembers.Add("maintainer");
        Forge.OrgMembers.Add("org-member");
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await ci.DisposeAsync();
    }

    [Fact]
    public async Task A_members_new_pull_request_runs_the_always_run_jobs_only()
    {
        Forge.AddPull(1, "maintainer");

        await Harness.SendAsync(Harness.EventFor(1, BotEventKind.PullRequest, "opened", "maintainer"));

        StartedJobs().ShouldBe(["smoke"]);
        Forge.Statuses[Head]["forgeline/smoke"].State.ShouldBe(CommitState.Pending);
        Forge.Statuses[Head].ContainsKey("forgeline/lint").ShouldBeFalse();
        Forge.CommentsOn(1).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_outsiders_pull_request_waits_for_ok_to_test_and_is_asked_about_once()
    {
        Forge.AddPull(1, "outsider");

        await Harness.SendAsync(Harness.EventFor(1, BotEventKind.PullRequest, "opened", "outsider"));
        Forge.Issues[1] = Forge.Issues[1] with { HeadSha = "def456" };
        await Harness.SendAsync(Harness.EventFor(1, BotEventKind.PullRequest, "synchronized", "outsider"));

        ci.Requests.ShouldBeEmpty();
        Forge.Statuses.ShouldBeEmpty();
        Forge.LabelsOf(1).ShouldContain(Labels.NeedsOkToTest);
        var comment = Forge.CommentsOn(1).ShouldHaveSingleItem();
        comment.ShouldContain("/ok-to-test");
        comment.ShouldContain("a member of openeuler");
    }

    [Fact]
    public async Task Ok_to_test_trusts_the_pull_request_starts_its_jobs_and_later_pushes_run_them_too()
    {
        Forge.AddPull(1, "outsider");
        await Harness.SendAsync(Harness.EventFor(1, BotEventKind.PullRequest, "opened", "outsider"));

        await Harness.CommentAsync(1, "org-member", "/ok-to-test");

        (await Harness.Pulls.GetAsync(PluginHarness.Repo, 1, default)).Trusted.ShouldBeTrue();
        Forge.LabelsOf(1).ShouldNotContain(Labels.NeedsOkToTest);
        Forge.LabelsOf(1).ShouldContain(Labels.OkToTest);
        StartedJobs().ShouldBe(["smoke"]);
        Forge.CommentsOn(1)[^1].ShouldContain("trusted");

        Forge.Issues[1] = Forge.Issues[1] with { HeadSha = "def456" };
        await Harness.SendAsync(Harness.EventFor(1, BotEventKind.PullRequest, "synchronized", "outsider"));
        StartedJobs().ShouldBe(["smoke", "smoke"]);
        Forge.Statuses["def456"]["forgeline/smoke"].State.ShouldBe(CommitState.Pending);
    }

    [Fact]
    public async Task Ok_to_test_on_a_trusted_pull_request_starts_nothing_and_says_how_to_run_jobs()
    {
        Forge.AddPull(1, "maintainer");

        await Harness.CommentAsync(1, "org-member", "/ok-to-test");

        ci.Requests.ShouldBeEmpty();
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain("trusted already");
    }

    [Fact]
    public async Task Test_question_mark_lists_the_jobs_without_their_urls()
    {
        Forge.AddPull(1, "maintainer");

        await Harness.CommentAsync(1, "passerby", "/test ?");

        var reply = Forge.CommentsOn(1).ShouldHaveSingleItem();
        reply.ShouldContain("| `smoke` | 127.0.0.1:");
        reply.ShouldContain("| yes | yes |");
        reply.ShouldContain("| `lint` |");
        reply.ShouldContain("| no | no |");
        reply.ShouldNotContain("trigger-secret");
        ci.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Test_with_an_unknown_name_says_so_lists_the_jobs_and_runs_only_the_known_ones()
    {
        Forge.AddPull(1, "maintainer");

        await Harness.CommentAsync(1, "passerby", "/test nope");
        ci.Requests.ShouldBeEmpty();
        Forge.CommentsOn(1)[^1].ShouldContain("there is no job `nope`");
        Forge.CommentsOn(1)[^1].ShouldContain("| `lint` |");

        await Harness.CommentAsync(1, "passerby", "/test LINT nope");
        StartedJobs().ShouldBe(["lint"]);
    }

    [Fact]
    public async Task Test_a_name_runs_that_job_and_test_all_runs_every_job()
    {
        Forge.AddPull(1, "maintainer");

        await Harness.CommentAsync(1, "passerby", "/test lint");
        StartedJobs().ShouldBe(["lint"]);
        Forge.CommentsOn(1)[^1].ShouldContain("started on abc123: `lint`");

        await Harness.CommentAsync(1, "passerby", "/test all");
        StartedJobs().ShouldBe(["lint", "smoke", "lint"]);
    }

    [Fact]
    public async Task Test_without_a_name_answers_with_the_usage()
    {
        Forge.AddPull(1, "maintainer");

        await Harness.CommentAsync(1, "passerby", "/test");

        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain("`/test` needs arguments: `/test NAME… | all | ?`");
        ci.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Retest_runs_again_only_the_jobs_that_failed_or_errored_on_the_head()
    {
        Harness.RepoConfig.Jobs = [.. Harness.RepoConfig.Jobs!, new JobConfig { Name = "docs", Url = ci.BaseUrl + "job/docs" }];
        Forge.AddPull(1, "maintainer");
        await Forge.SetStatusAsync(PluginHarness.Repo, Head, new CommitStatus("forgeline/smoke", CommitState.Failure, "2 tests failed"), default);
        await Forge.SetStatusAsync(PluginHarness.Repo, Head, new CommitStatus("forgeline/lint", CommitState.Success, "ok"), default);
        await Forge.SetStatusAsync(PluginHarness.Repo, Head, new CommitStatus("forgeline/docs", CommitState.Error, "no runner"), default);
        await Forge.SetStatusAsync(PluginHarness.Repo, "old", new CommitStatus("forgeline/lint", CommitState.Failure, "on an older head"), default);

        await Harness.CommentAsync(1, "passerby", "/retest");

        StartedJobs().Order().ShouldBe(["docs", "smoke"]);
    }

    [Fact]
    public async Task Retest_with_nothing_failed_says_so()
    {
        Forge.AddPull(1, "maintainer");
        await Forge.SetStatusAsync(PluginHarness.Repo, Head, new CommitStatus("forgeline/smoke", CommitState.Pending, "running"), default);

        await Harness.CommentAsync(1, "passerby", "/retest");

        ci.Requests.ShouldBeEmpty();
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain("no job failed on abc123");
    }

    public static TheoryData<string?, string?, string> CheckCiCases => new()
    {
        { "success", "success", CiPlugin.CiSuccess },
        { "success", "pending", CiPlugin.CiPending },
        { "success", null, CiPlugin.CiPending },
        { "failure", "pending", CiPlugin.CiFailure },
        { "success", "error", CiPlugin.CiFailure },
        { null, null, CiPlugin.CiPending },
    };

    [Theory]
    [MemberData(nameof(CheckCiCases))]
    public async Task Check_ci_labels_the_required_contexts_state_and_removes_the_other_two(string? build, string? test, string expected)
    {
        Harness.RepoConfig.Merge = new MergeConfig { RequiredContexts = ["forgeline/build", "forgeline/test"] };
        Forge.AddPull(1, "maintainer", labels: ["ci/success", "ci/failure", "ci/pending", "lgtm"]);
        foreach (var (context, state) in new[] { ("forgeline/build", build), ("forgeline/test", test) })
        {
            if (state is not null)
            {
                await Forge.SetStatusAsync(PluginHarness.Repo, Head, new CommitStatus(context, Enum.Parse<CommitState>(state, true), ""), default);
            }
        }

        // Not required: never counts.
        await Forge.SetStatusAsync(PluginHarness.Repo, Head, new CommitStatus("other/ci", CommitState.Failure, ""), default);

        await Harness.CommentAsync(1, "passerby", "/check-ci");

        Forge.LabelsOf(1).Order().ShouldBe(new[] { expected, "lgtm" }.Order());
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain($"`{expected}`");
    }

    [Fact]
    public async Task Check_ci_without_required_contexts_says_so_and_labels_nothing()
    {
        Harness.RepoConfig.Jobs = [];
        Forge.AddPull(1, "maintainer");

        await Harness.CommentAsync(1, "passerby", "/check-ci");

        Forge.LabelsOf(1).ShouldBeEmpty();
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain("requires no status contexts");
    }

    [Fact]
    public async Task A_job_whose_url_is_down_gets_an_error_status_and_the_sender_is_told()
    {
        Harness.RepoConfig.Jobs = [new JobConfig { Name = "smoke", Url = LoopbackHttpServer.DeadUrl("job") }];
        Forge.AddPull(1, "maintainer");

        await Harness.CommentAsync(1, "passerby", "/test smoke");

        var status = Forge.Statuses[Head]["forgeline/smoke"];
        status.State.ShouldBe(CommitState.Error);
        status.Description.ShouldStartWith("could not start: could not reach 127.0.0.1:");
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain("`smoke` could not start: could not reach");
        (await host.RunsAsync()).ShouldHaveSingleItem().State.ShouldBe("error");
    }

    [Fact]
    public async Task A_job_url_that_refuses_the_start_gets_an_error_status_with_its_answer()
    {
        await using var failing = new LoopbackHttpServer(_ => (503, "{}"));
        Harness.RepoConfig.Jobs = [new JobConfig { Name = "smoke", Url = failing.BaseUrl + "job" }];
        Forge.AddPull(1, "maintainer");

        await Harness.SendAsync(Harness.EventFor(1, BotEventKind.PullRequest, "opened", "maintainer"));

        Forge.Statuses[Head]["forgeline/smoke"].Description.ShouldContain("answered 503");
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain("`smoke` could not start");
        var run = (await host.RunsAsync()).ShouldHaveSingleItem();
        run.State.ShouldBe("error");
        run.ReportTokenHash.ShouldBeNull();
    }

    [Theory]
    [InlineData("/check-ci", "maintainer", "passerby", true)]
    [InlineData("/check-ci", "outsider", "passerby", true)]
    [InlineData("/test smoke", "maintainer", "passerby", true)]
    [InlineData("/test smoke", "outsider", "passerby", false)]
    [InlineData("/test smoke", "outsider", "outsider", false)]
    [InlineData("/retest", "maintainer", "passerby", true)]
    [InlineData("/retest", "outsider", "passerby", false)]
    [InlineData("/ok-to-test", "outsider", "org-member", true)]
    [InlineData("/ok-to-test", "outsider", "maintainer", true)]
    [InlineData("/ok-to-test", "outsider", "passerby", false)]
    [InlineData("/ok-to-test", "outsider", "outsider", false)]
    public async Task Who_may_use_each_command(string command, string author, string sender, bool allowed)
    {
        Forge.Collaborators.Add("collaborator-only");
        Forge.AddPull(1, author);

        await Harness.CommentAsync(1, sender, command);

        var refused = Forge.CommentsOn(1).Any(c => c.Contains("you are not one of them", StringComparison.Ordinal));
        refused.ShouldBe(!allowed);
        if (!allowed)
        {
            ci.Requests.ShouldBeEmpty();
            (await Harness.Pulls.GetAsync(PluginHarness.Repo, 1, default)).Trusted.ShouldBeFalse();
        }
    }

    [Fact]
    public async Task A_repository_collaborator_outside_the_trusted_organisation_may_not_ok_to_test()
    {
        Forge.Collaborators.Add("collaborator-only");
        Forge.AddPull(1, "outsider");

        await Harness.CommentAsync(1, "collaborator-only", "/ok-to-test");

        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain("members of the trusted organisation");
        (await Harness.Pulls.GetAsync(PluginHarness.Repo, 1, default)).Trusted.ShouldBeFalse();
    }

    [Fact]
    public async Task Commands_on_an_issue_say_they_work_on_pull_requests_only()
    {
        Forge.AddIssue(2, "maintainer");

        await Harness.CommentAsync(2, "passerby", "/check-ci");

        Forge.CommentsOn(2).ShouldHaveSingleItem().ShouldContain("works on pull requests only");
    }

    /// <summary>The jobs the CI server was asked to start, in order.</summary>
    private List<string> StartedJobs() =>
        [.. ci.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("job").GetString()!)];
}
