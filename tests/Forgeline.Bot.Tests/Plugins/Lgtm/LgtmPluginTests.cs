using Forgeline.Bot.Events;
using Forgeline.Bot.Plugins;
using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.Lgtm;

public sealed class LgtmPluginTests
{
    private const string LgtmWho = "reviewers (OWNERS reviewers and approvers, collaborators) other than the author, who may only `cancel`";

    public static TheoryData<string, bool> LgtmSenders => new()
    {
        { Reviewer, true },
        { Approver, true },
        { Member, true },
        { PullCollaborator, true },
        { OrgMember, false },
        { Stranger, false },
        { Author, false },
    };

    public static TheoryData<string, bool> CancelSenders => new()
    {
        { Author, true },
        { Reviewer, true },
        { Member, true },
        { PullCollaborator, true },
        { OrgMember, false },
        { Stranger, false },
    };

    [Theory]
    [MemberData(nameof(LgtmSenders))]
    public async Task Lgtm_is_for_reviewers(string sender, bool allowed)
    {
        await using var h = await CreateAsync();
        if (allowed)
        {
            await SendAllowedAsync(h, Pull, sender, "/lgtm");
            h.Forge.LabelsOf(Pull).ShouldBe([Labels.Lgtm]);
            h.Forge.CommentsOn(Pull).ShouldBeEmpty();
        }
        else
        {
            await ShouldBeRefusedAsync(h, Pull, sender, "/lgtm", "/lgtm", LgtmWho);
            h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        }
    }

    [Theory]
    [MemberData(nameof(CancelSenders))]
    public async Task Lgtm_cancel_is_for_the_author_and_reviewers(string sender, bool allowed)
    {
        await using var h = await CreateAsync();
        await h.Forge.AddLabelsAsync(PluginHarness.Repo, Pull, [Labels.Lgtm], CancellationToken.None);
        if (allowed)
        {
            await SendAllowedAsync(h, Pull, sender, "/lgtm cancel");
            h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        }
        else
        {
            await ShouldBeRefusedAsync(h, Pull, sender, "/lgtm cancel", "/lgtm cancel", "the author, reviewers and approvers from OWNERS, collaborators");
            h.Forge.LabelsOf(Pull).ShouldBe([Labels.Lgtm]);
        }
    }

    [Fact]
    public async Task The_authors_own_lgtm_is_refused_with_an_explanation_even_when_they_are_a_reviewer()
    {
        await using var h = await CreateAsync();
        h.Forge.Collaborators.Add(Author);
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Author, "/lgtm");

        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        h.Forge.Calls.ShouldBe([$"Comment #{Pull}"]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe(
            "@alice: you cannot `/lgtm` your own pull request: a reviewer has to look at it. You may still take an `lgtm` back with `/lgtm cancel`.");
    }

    [Fact]
    public async Task On_an_issue_it_answers_that_lgtm_is_for_pull_requests()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Issue, Reviewer, "/lgtm");

        h.Forge.LabelsOf(Issue).ShouldBeEmpty();
        h.Forge.CommentsOn(Issue).Single().ShouldBe("@rita: `/lgtm` applies to pull requests only; nothing was done.");
    }

    [Fact]
    public async Task Other_arguments_than_cancel_do_nothing_but_say_the_usage()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, Reviewer, "/lgtm please");

        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@rita: `/lgtm` takes no argument but `cancel` (`/lgtm cancel`); nothing was done.");
    }

    [Fact]
    public async Task New_commits_remove_lgtm_and_say_why()
    {
        await using var h = await CreateAsync();
        await h.Forge.AddLabelsAsync(PluginHarness.Repo, Pull, [Labels.Lgtm, "bug"], CancellationToken.None);
        h.Forge.Issues[Pull] = h.Forge.Issues[Pull] with { HeadSha = "def456" };

        await h.SendAsync(h.EventFor(Pull, BotEventKind.PullRequest, "synchronized", Author));

        h.Forge.LabelsOf(Pull).ShouldBe(["bug"]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe(
            "New commits were pushed (head def456), so the `lgtm` label was removed: a reviewer needs to look again and `/lgtm`.");
    }

    [Fact]
    public async Task New_commits_on_a_pull_request_without_lgtm_change_nothing()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.SendAsync(h.EventFor(Pull, BotEventKind.PullRequest, "synchronized", Author));

        h.Forge.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_push_event_whose_payload_predates_the_lgtm_still_removes_it()
    {
        await using var h = await CreateAsync();
        var push = h.EventFor(Pull, BotEventKind.PullRequest, "synchronized", Author);
        await h.CommentAsync(Pull, Reviewer, "/lgtm");

        await h.SendAsync(push);

        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
    }
}
