using Forgeline.Bot.Config;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Plugins;
using Forgeline.Bot.Plugins.Merge;

namespace Forgeline.Bot.Tests.Plugins.Merge;

public sealed class MergePluginTests : IAsyncLifetime
{
    private const string Head = "abc123";
    private PluginHarness harness = null!;

    private MemoryForge Forge => harness.Forge;

    public async Task InitializeAsync()
    {
        harness = await PluginHarness.CreateAsync([TestPlugins.Create<MergePlugin>()]);
        harness.RepoConfig.Jobs = [new JobConfig { Name = "build", Farm = true }];
        harness.RepoConfig.Merge = new MergeConfig { Method = "squash" };
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task A_ready_pull_request_is_merged_at_its_head_with_the_configured_method()
    {
        Forge.AddPull(1, "alice", labels: ["lgtm", "approved"]);
        await Green(Head);

        await Labeled(1);

        Forge.Calls.ShouldContain($"Merge #1 {Head} Squash");
        Forge.Issues[1].State.ShouldBe("merged");
        Forge.Statuses[Head][MergePlugin.StatusContext].ShouldBe(new CommitStatus(MergePlugin.StatusContext, CommitState.Success, "merged"));
    }

    [Fact]
    public async Task A_pull_request_that_is_not_ready_gets_a_pending_status_saying_why_and_is_not_merged()
    {
        Forge.AddPull(1, "alice", labels: ["lgtm", "do-not-merge/hold"]);
        await Forge.SetStatusAsync(PluginHarness.Repo, Head, new CommitStatus("forgeline/build", CommitState.Pending, ""), default);

        await Labeled(1);

        Forge.Calls.ShouldNotContain(c => c.StartsWith("Merge", StringComparison.Ordinal));
        var status = Forge.Statuses[Head][MergePlugin.StatusContext];
        status.State.ShouldBe(CommitState.Pending);
        status.Description.ShouldBe("needs approved; blocked by do-not-merge/hold; waiting for forgeline/build (pending)");
    }

    [Fact]
    public async Task Repeated_events_set_the_status_once_and_again_only_when_the_reason_changes()
    {
        Forge.AddPull(1, "alice", labels: ["lgtm"]);

        await Labeled(1);
        await Labeled(1);
        await harness.CommentAsync(1, "bob", "looks fine");
        MergeStatusCalls().ShouldBe(1);

        Forge.Issues[1] = Forge.Issues[1] with { Labels = ["lgtm", "approved"] };
        await Labeled(1);
        MergeStatusCalls().ShouldBe(2);
        Forge.Statuses[Head][MergePlugin.StatusContext].Description.ShouldBe("waiting for forgeline/build (missing)");
    }

    [Fact]
    public async Task A_new_head_gets_its_own_status_even_with_the_same_reason_and_old_green_statuses_do_not_count()
    {
        Forge.AddPull(1, "alice", labels: ["lgtm", "approved", "do-not-merge/hold"]);
        await Green(Head);
        await Labeled(1);

        Forge.Issues[1] = Forge.Issues[1] with { HeadSha = "def456", Labels = ["lgtm", "approved"] };
        await harness.SendAsync(harness.EventFor(1, BotEventKind.PullRequest, "synchronized", "alice"));

        Forge.Calls.ShouldNotContain(c => c.StartsWith("Merge", StringComparison.Ordinal));
        Forge.Statuses["def456"][MergePlugin.StatusContext].Description.ShouldBe("waiting for forgeline/build (missing)");
        (await harness.Pulls.GetAsync(PluginHarness.Repo, 1, default)).HeadSha.ShouldBe("def456");
    }

    [Fact]
    public async Task A_status_event_finds_its_pull_request_by_head_and_merges_it_when_the_last_context_turns_green()
    {
        Forge.AddPull(1, "alice", labels: ["lgtm", "approved"]);
        Forge.AddPull(2, "bob", labels: ["lgtm", "approved"], head: "other");
        await harness.SendAsync(harness.EventFor(2, BotEventKind.PullRequest, "opened", "bob"));
        await Labeled(1);
        Forge.Issues[1].State.ShouldBe("open");

        await Green(Head);
        await harness.SendAsync(StatusEvent(Head, "forgeline/build"));

        Forge.Issues[1].State.ShouldBe("merged");
        Forge.Issues[2].State.ShouldBe("open");
    }

    [Fact]
    public async Task Its_own_status_and_unknown_heads_are_ignored()
    {
        var plugin = TestPlugins.Create<MergePlugin>();
        plugin.Wants(StatusEvent(Head, MergePlugin.StatusContext)).ShouldBeFalse();
        plugin.Wants(StatusEvent(Head, "forgeline/build")).ShouldBeTrue();

        Forge.AddPull(1, "alice", labels: ["lgtm", "approved"]);
        await Green(Head);
        await harness.SendAsync(StatusEvent(Head, "forgeline/build"));

        Forge.Calls.ShouldNotContain(c => c.StartsWith("Merge", StringComparison.Ordinal)); // the bot never saw this pull request's head
    }

    [Fact]
    public async Task When_the_forge_refuses_the_status_says_why_once_and_later_events_try_again()
    {
        Forge.AddPull(1, "alice", labels: ["lgtm", "approved"]);
        await Green(Head);
        Forge.MergeFailure = new ForgeApiException("Required status check \"legacy-ci\" is expected.", 405);

        await Labeled(1);
        await Labeled(1);

        Forge.Calls.Count(c => c.StartsWith("Merge", StringComparison.Ordinal)).ShouldBe(2);
        MergeStatusCalls().ShouldBe(1);
        var status = Forge.Statuses[Head][MergePlugin.StatusContext];
        status.State.ShouldBe(CommitState.Error);
        status.Description.ShouldBe("the forge refused to merge: Required status check \"legacy-ci\" is expected.");

        Forge.MergeFailure = null;
        await Labeled(1);
        Forge.Issues[1].State.ShouldBe("merged");
    }

    [Fact]
    public async Task A_conflict_labels_needs_rebase_and_the_label_goes_when_the_forge_says_it_merges_again()
    {
        Forge.AddPull(1, "alice", labels: ["lgtm", "approved"]);
        Forge.Issues[1] = Forge.Issues[1] with { Mergeable = false };
        await Green(Head);

        await Labeled(1);
        Forge.LabelsOf(1).ShouldContain(Labels.NeedsRebase);
        Forge.Statuses[Head][MergePlugin.StatusContext].Description.ShouldBe("blocked by needs-rebase");
        await Labeled(1);
        Forge.Calls.Count(c => c == $"AddLabels #1 {Labels.NeedsRebase}").ShouldBe(1);

        Forge.Issues[1] = Forge.Issues[1] with { HeadSha = "rebased", Mergeable = true };
        await Green("rebased");
        await harness.SendAsync(harness.EventFor(1, BotEventKind.PullRequest, "synchronized", "alice"));

        Forge.Calls.ShouldContain($"RemoveLabel #1 {Labels.NeedsRebase}");
        Forge.Issues[1].State.ShouldBe("merged");
    }

    [Fact]
    public async Task Closed_pull_requests_issues_pushes_and_the_bots_own_comments_are_left_alone()
    {
        Forge.AddPull(1, "alice", labels: ["lgtm", "approved"]);
        Forge.Issues[1] = Forge.Issues[1] with { State = "closed" };
        Forge.AddIssue(2, "alice");
        await Green(Head);

        await Labeled(1);
        await harness.CommentAsync(2, "bob", "hello");
        Forge.Issues[1] = Forge.Issues[1] with { State = "open" };
        await harness.CommentAsync(1, harness.Config.BotLogin, "Job `build` passed on abc123");
        await harness.SendAsync(new BotEvent { DeliveryId = "push", Kind = BotEventKind.Push, Action = "pushed", Repo = PluginHarness.Repo, Sender = "alice", HeadSha = Head });

        Forge.Calls.ShouldNotContain(c => c.StartsWith("Merge", StringComparison.Ordinal) || c.Contains(MergePlugin.StatusContext, StringComparison.Ordinal));
    }

    private Task Labeled(int number) => harness.SendAsync(harness.EventFor(number, BotEventKind.PullRequest, "labeled", "bob"));

    private Task Green(string sha) => Forge.SetStatusAsync(PluginHarness.Repo, sha, new CommitStatus("forgeline/build", CommitState.Success, "build 1 succeeded"), default);

    private int MergeStatusCalls() => Forge.Calls.Count(c => c.Contains(MergePlugin.StatusContext, StringComparison.Ordinal));

    private static BotEvent StatusEvent(string sha, string context) => new()
    {
        DeliveryId = $"status-{Guid.NewGuid():N}",
        Kind = BotEventKind.Status,
        Action = "updated",
        Repo = PluginHarness.Repo,
        Sender = "ci-bot",
        HeadSha = sha,
        Subject = context,
        State = CommitState.Success,
    };
}
