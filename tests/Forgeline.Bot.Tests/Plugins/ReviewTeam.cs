using Forgeline.Bot.Dispatch;
using Forgeline.Bot.Plugins;
using Forgeline.Bot.Plugins.Approve;
using Forgeline.Bot.Plugins.Assign;
using Forgeline.Bot.Plugins.Cc;
using Forgeline.Bot.Plugins.Collaborators;
using Forgeline.Bot.Plugins.Help;
using Forgeline.Bot.Plugins.Hold;
using Forgeline.Bot.Plugins.IssueCheck;
using Forgeline.Bot.Plugins.Label;
using Forgeline.Bot.Plugins.Lgtm;
using Forgeline.Bot.Plugins.Lifecycle;
using Forgeline.Bot.Plugins.Milestone;

namespace Forgeline.Bot.Tests.Plugins;

/// <summary>
/// The people of the review plugins' tests and a harness set up for them: pull request #1 and issue #2 by <see cref="Author"/>,
/// a root OWNERS file, repository members, an organisation member and a collaborator added to #1.
/// </summary>
public static class ReviewTeam
{
    /// <summary>Wrote #1 and #2; belongs to nothing.</summary>
    public const string Author = "alice";

    /// <summary>A reviewer in the root OWNERS.</summary>
    public const string Reviewer = "rita";

    /// <summary>An approver in the root OWNERS.</summary>
    public const string Approver = "adam";

    /// <summary>A repository collaborator (member).</summary>
    public const string Member = "mike";

    /// <summary>A member of the trusted organisation only.</summary>
    public const string OrgMember = "olga";

    /// <summary>Added to #1 with /add-collaborator (in the bot's state).</summary>
    public const string PullCollaborator = "pete";

    /// <summary>Nobody in particular.</summary>
    public const string Stranger = "sam";

    /// <summary>The pull request.</summary>
    public const int Pull = 1;

    /// <summary>The issue.</summary>
    public const int Issue = 2;

    /// <summary>Every review plugin, in the order they run.</summary>
    public static IReadOnlyList<IBotPlugin> Plugins() =>
    [
        TestPlugins.Create<LgtmPlugin>(),
        TestPlugins.Create<ApprovePlugin>(),
        TestPlugins.Create<AssignPlugin>(),
        TestPlugins.Create<CollaboratorsPlugin>(),
        TestPlugins.Create<HoldPlugin>(),
        TestPlugins.Create<LabelPlugin>(),
        TestPlugins.Create<LifecyclePlugin>(),
        TestPlugins.Create<CcPlugin>(),
        new HelpPlugin(),
        TestPlugins.Create<MilestonePlugin>(),
        TestPlugins.Create<IssueCheckPlugin>(),
    ];

    /// <summary>A harness with every review plugin (or <paramref name="enabled"/>) on, and the team in place.</summary>
    public static async Task<PluginHarness> CreateAsync(IEnumerable<string>? enabled = null)
    {
        var h = await PluginHarness.CreateAsync(Plugins(), enabled);
        h.Forge.Files["OWNERS"] = $"approvers:\n- {Approver}\nreviewers:\n- {Reviewer}\n";
        h.Forge.Collaborators.Add(Member);
        h.Forge.OrgMembers.Add(OrgMember);
        h.Forge.AddPull(Pull, Author, body: "Fixes #7");
        h.Forge.AddIssue(Issue, Author);
        await h.Pulls.UpdateAsync(PluginHarness.Repo, Pull, s => s with { Collaborators = new HashSet<string> { PullCollaborator } }, CancellationToken.None);
        return h;
    }

    /// <summary>
    /// Everything a command could change on <paramref name="number"/>, as one comparable string: labels, assignees, state, the
    /// bot's remembered approvers and collaborators.
    /// </summary>
    public static async Task<string> SnapshotAsync(PluginHarness h, int number)
    {
        var issue = h.Forge.Issues[number];
        var state = await h.Pulls.GetAsync(PluginHarness.Repo, number, CancellationToken.None);
        return $"labels={string.Join(',', issue.Labels.Order())} assignees={string.Join(',', issue.Assignees.Order())} state={issue.State} "
            + $"approvers={string.Join(',', state.Approvers.Order())} collaborators={string.Join(',', state.Collaborators.Order())}";
    }

    /// <summary>
    /// Sends <paramref name="body"/> by <paramref name="sender"/> and checks the dispatcher refused it: one answer naming who may
    /// use <paramref name="command"/>, no other forge call, nothing else changed.
    /// </summary>
    public static async Task ShouldBeRefusedAsync(PluginHarness h, int number, string sender, string body, string command, string whoText)
    {
        var before = await SnapshotAsync(h, number);
        var comments = h.Forge.CommentsOn(number).Count;
        h.Forge.Calls.Clear();
        await h.CommentAsync(number, sender, body);
        h.Forge.Calls.ShouldBe([$"Comment #{number}"]);
        h.Forge.CommentsOn(number).Count.ShouldBe(comments + 1);
        h.Forge.CommentsOn(number)[^1].ShouldBe($"@{sender}: `{command}` is for {whoText}; you are not one of them, so nothing was done.");
        (await SnapshotAsync(h, number)).ShouldBe(before);
    }

    /// <summary>Sends <paramref name="body"/> by <paramref name="sender"/> and checks it was not refused (no "you are not one of them" answer).</summary>
    public static async Task SendAllowedAsync(PluginHarness h, int number, string sender, string body)
    {
        var comments = h.Forge.CommentsOn(number).Count;
        var outcomes = await h.CommentAsync(number, sender, body);
        outcomes.ShouldNotBeEmpty();
        outcomes.ShouldAllBe(o => o.Outcome == PluginOutcome.Done);
        h.Forge.CommentsOn(number).Skip(comments).ShouldNotContain(c => c.Contains("you are not one of them", StringComparison.Ordinal));
    }
}
