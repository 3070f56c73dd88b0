using Forgeline.Bot.Config;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Plugins.Merge;

namespace Forgeline.Bot.Tests.Plugins.Merge;

public sealed class MergeRulesTests
{
    private static readonly string[] Ready = ["lgtm", "approved"];

    public static TheoryData<string, string[], bool?, string[], string> Rules => new()
    {
        { "everything met", Ready, true, ["build=success"], MergeRules.ReadyText },
        { "mergeable unknown yet", Ready, null, ["build=success"], MergeRules.ReadyText },
        { "labels in another case", ["LGTM", "Approved"], true, ["build=success"], MergeRules.ReadyText },
        { "missing label", ["approved"], true, ["build=success"], "needs lgtm" },
        { "missing labels", [], true, ["build=success"], "needs lgtm, approved" },
        { "blocking label", [.. Ready, "do-not-merge/hold"], true, ["build=success"], "blocked by do-not-merge/hold" },
        { "two blocking labels", [.. Ready, "needs-issue", "do-not-merge/hold"], true, ["build=success"], "blocked by do-not-merge/hold, needs-issue" },
        { "red context", Ready, true, ["build=failure"], "failing forgeline/build (failure)" },
        { "errored context", Ready, true, ["build=error"], "failing forgeline/build (error)" },
        { "pending context", Ready, true, ["build=pending"], "waiting for forgeline/build (pending)" },
        { "missing context", Ready, true, [], "waiting for forgeline/build (missing)" },
        { "another context is not required", Ready, true, ["build=success", "other=failure"], MergeRules.ReadyText },
        { "conflict, labeled", [.. Ready, "needs-rebase"], false, ["build=success"], "blocked by needs-rebase" },
        { "all at once", ["lgtm", "do-not-merge/hold"], true, ["build=pending"], "needs approved; blocked by do-not-merge/hold; waiting for forgeline/build (pending)" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_pull_request_merges_only_when_every_rule_is_met(string why, string[] labels, bool? mergeable, string[] statuses, string expected)
    {
        var verdict = MergeRules.Judge(labels, mergeable, [.. statuses.Select(Status)], Settings(new RepoConfig { Jobs = [new JobConfig { Name = "build", Farm = true }] }));

        verdict.Description.ShouldBe(expected, why);
        verdict.Ready.ShouldBe(expected == MergeRules.ReadyText, why);
    }

    [Fact]
    public void A_conflict_without_the_needs_rebase_label_among_the_blocking_ones_is_still_named()
    {
        var settings = Settings(new RepoConfig { Merge = new MergeConfig { BlockingLabels = ["do-not-merge/hold"], RequiredContexts = [] } });

        var verdict = MergeRules.Judge(Ready, false, [], settings);

        verdict.ShouldBe(new MergeVerdict(false, "conflicts with its base branch"));
    }

    [Fact]
    public void With_the_cla_plugin_on_the_cla_yes_label_is_required_and_the_no_label_blocks()
    {
        var settings = Settings(new RepoConfig { Plugins = ["cla", "merge"] });

        MergeRules.Judge(Ready, true, [], settings).Description.ShouldBe("needs openeuler-cla/yes");
        MergeRules.Judge([.. Ready, "openeuler-cla/no"], true, [], settings).Description.ShouldBe("needs openeuler-cla/yes; blocked by openeuler-cla/no");
    }

    [Fact]
    public void Configured_labels_and_contexts_replace_the_defaults()
    {
        var settings = Settings(new RepoConfig { Merge = new MergeConfig { RequiredLabels = ["ship-it"], BlockingLabels = ["frozen"], RequiredContexts = ["jenkins/pr"] } });

        MergeRules.Judge(["ship-it"], true, [Status("jenkins/pr=success")], settings).Ready.ShouldBeTrue();
        MergeRules.Judge(["ship-it", "do-not-merge/hold"], true, [Status("jenkins/pr=success")], settings).Ready.ShouldBeTrue();
        MergeRules.Judge(["ship-it", "frozen"], true, [Status("jenkins/pr=success")], settings).Description.ShouldBe("blocked by frozen");
    }

    [Fact]
    public void A_long_description_is_cut_to_what_a_commit_status_takes()
    {
        var contexts = Enumerable.Range(1, 20).Select(i => $"forgeline/job-number-{i}").ToList();
        var settings = Settings(new RepoConfig { Merge = new MergeConfig { RequiredContexts = contexts } });

        var verdict = MergeRules.Judge(Ready, true, [], settings);

        verdict.Description.Length.ShouldBe(140);
        verdict.Description.ShouldStartWith("waiting for forgeline/job-number-1 (missing), forgeline/job-number-2 (missing)");
        verdict.Description.ShouldEndWith("…");
    }

    private static RepoSettings Settings(RepoConfig repo) =>
        new(PluginHarness.Repo, new BotConfig { Community = "openeuler" }, repo);

    private static CommitStatus Status(string contextAndState)
    {
        var (context, state) = (contextAndState.Split('=')[0], contextAndState.Split('=')[1]);
        return new CommitStatus(context.Contains('/') ? context : $"forgeline/{context}", Enum.Parse<CommitState>(state, ignoreCase: true), "");
    }
}
