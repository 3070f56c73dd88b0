using Forgeline.Bot.Events;
using Forgeline.Bot.Plugins;
using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.Approve;

public sealed class ApprovePluginTests
{
    private const string ApproveWho = "approvers in the OWNERS files of the changed files (or the root OWNERS)";
    private const string DocsOwners = "approvers:\n- dora\n- dan\noptions:\n  no_parent_owners: true\n";

    public static TheoryData<string, string, bool> Senders => new()
    {
        { Approver, "/approve", true },
        { Approver, "/approve cancel", true },
        { Reviewer, "/approve", false },
        { Member, "/approve", false },
        { PullCollaborator, "/approve", false },
        { Author, "/approve", false },
        { Stranger, "/approve", false },
        { Stranger, "/approve cancel", false },
        { "dora", "/approve", false },
    };

    [Theory]
    [MemberData(nameof(Senders))]
    public async Task Approve_is_for_the_approvers_of_the_changed_files(string sender, string body, bool allowed)
    {
        await using var h = await CreateAsync();
        h.Forge.Files["docs/OWNERS"] = DocsOwners;
        if (allowed)
        {
            await SendAllowedAsync(h, Pull, sender, body);
            var approvers = (await h.Pulls.GetAsync(PluginHarness.Repo, Pull, CancellationToken.None)).Approvers;
            approvers.ShouldBe(body.EndsWith("cancel", StringComparison.Ordinal) ? [] : [sender]);
        }
        else
        {
            // /approve cancel has no audience of its own: the answer names /approve.
            await ShouldBeRefusedAsync(h, Pull, sender, body, "/approve", ApproveWho);
        }
    }

    [Fact]
    public async Task An_approver_covering_every_changed_file_adds_approved()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, Approver, "/approve");

        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Approved]);
        h.Forge.CommentsOn(Pull).ShouldBeEmpty();
    }

    [Fact]
    public async Task Until_every_OWNERS_file_is_covered_it_names_those_still_needed_and_their_approvers()
    {
        await using var h = await CreateAsync();
        h.Forge.Files["docs/OWNERS"] = DocsOwners;
        h.Forge.ChangedFiles[Pull] = ["README.md", "docs/guide.md"];

        await h.CommentAsync(Pull, Approver, "/approve");

        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@adam: still needs approval for: `docs/OWNERS` — @dora or @dan");

        await h.CommentAsync(Pull, "dora", "/approve");

        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Approved]);
        (await h.Pulls.GetAsync(PluginHarness.Repo, Pull, CancellationToken.None)).Approvers.ShouldBe(["adam", "dora"], ignoreOrder: true);
    }

    [Fact]
    public async Task Several_OWNERS_files_still_needed_are_all_named()
    {
        await using var h = await CreateAsync();
        h.Forge.Files["docs/OWNERS"] = DocsOwners;
        h.Forge.Files["src/OWNERS"] = "approvers:\n- sven\noptions:\n  no_parent_owners: true\n";
        h.Forge.ChangedFiles[Pull] = ["README.md", "docs/guide.md", "src/main.cs"];

        await h.CommentAsync(Pull, Approver, "/approve");

        h.Forge.CommentsOn(Pull).Single().ShouldBe("@adam: still needs approval for: `docs/OWNERS` — @dora or @dan; `src/OWNERS` — @sven");
    }

    [Fact]
    public async Task Cancel_withdraws_the_approval_and_removes_approved_when_coverage_breaks()
    {
        await using var h = await CreateAsync();
        await h.CommentAsync(Pull, Approver, "/approve");
        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Approved]);

        await h.CommentAsync(Pull, Approver, "/approve cancel");

        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        (await h.Pulls.GetAsync(PluginHarness.Repo, Pull, CancellationToken.None)).Approvers.ShouldBeEmpty();
        h.Forge.CommentsOn(Pull).ShouldBeEmpty();
    }

    [Fact]
    public async Task Cancel_keeps_approved_while_another_approval_still_covers_everything()
    {
        await using var h = await CreateAsync();
        h.Forge.Files["OWNERS"] = "approvers:\n- adam\n- amy\n";
        await h.CommentAsync(Pull, Approver, "/approve");
        await h.CommentAsync(Pull, "amy", "/approve");

        await h.CommentAsync(Pull, Approver, "/approve cancel");

        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Approved]);
        (await h.Pulls.GetAsync(PluginHarness.Repo, Pull, CancellationToken.None)).Approvers.ShouldBe(["amy"]);
    }

    [Fact]
    public async Task New_commits_touching_files_outside_the_approval_remove_approved()
    {
        await using var h = await CreateAsync();
        h.Forge.Files["docs/OWNERS"] = DocsOwners;
        await h.CommentAsync(Pull, Approver, "/approve");
        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Approved]);
        h.Forge.ChangedFiles[Pull] = ["README.md", "docs/guide.md"];

        await h.SendAsync(h.EventFor(Pull, BotEventKind.PullRequest, "synchronized", Author));

        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        h.Forge.CommentsOn(Pull).Single().ShouldBe(
            "New commits changed the files to approve, so `approved` was removed: still needs approval for: `docs/OWNERS` — @dora or @dan");
        (await h.Pulls.GetAsync(PluginHarness.Repo, Pull, CancellationToken.None)).Approvers.ShouldBe([Approver]);
    }

    [Fact]
    public async Task New_commits_still_covered_keep_approved_and_say_nothing()
    {
        await using var h = await CreateAsync();
        await h.CommentAsync(Pull, Approver, "/approve");
        h.Forge.ChangedFiles[Pull] = ["README.md", "src/main.cs"];
        h.Forge.Calls.Clear();

        await h.SendAsync(h.EventFor(Pull, BotEventKind.PullRequest, "synchronized", Author));

        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Approved]);
        h.Forge.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Without_any_OWNERS_file_nobody_may_approve()
    {
        await using var h = await CreateAsync();
        h.Forge.Files.Clear();
        h.Forge.Collaborators.Add(Approver);

        await ShouldBeRefusedAsync(h, Pull, Approver, "/approve", "/approve", ApproveWho);
    }

    [Fact]
    public async Task On_an_issue_it_answers_that_approve_is_for_pull_requests()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Issue, Approver, "/approve");

        h.Forge.CommentsOn(Issue).Single().ShouldBe("@adam: `/approve` applies to pull requests only; nothing was done.");
        (await h.Pulls.GetAsync(PluginHarness.Repo, Issue, CancellationToken.None)).Approvers.ShouldBeEmpty();
    }
}
