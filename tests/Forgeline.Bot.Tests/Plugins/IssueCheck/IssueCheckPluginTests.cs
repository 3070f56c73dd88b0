using Forgeline.Bot.Events;
using Forgeline.Bot.Plugins;
using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.IssueCheck;

public sealed class IssueCheckPluginTests
{
    private const string NoIssueAnswer = "this pull request references no issue, so it is labelled `needs-issue`. Link one in its title or description "
        + "(`#123`, `owner/repo#123`, `#I1ABC2` on Gitee, or the issue's URL), then comment `/check-issue`.";

    public static TheoryData<string> AnyoneMayCheck => new() { Stranger, Author, Member, OrgMember };

    public static TheoryData<string, bool> RemoveSenders => new()
    {
        { Member, true },
        { Author, false },
        { Reviewer, false },
        { Approver, false },
        { OrgMember, false },
        { Stranger, false },
    };

    private static async Task<PluginHarness> WithoutIssueAsync()
    {
        var h = await CreateAsync();
        h.Forge.Issues[Pull] = h.Forge.Issues[Pull] with { Title = "Refactor the parser", Body = "Makes it shorter." };
        return h;
    }

    [Theory]
    [MemberData(nameof(AnyoneMayCheck))]
    public async Task Anyone_may_check_and_without_an_issue_it_is_labelled_with_an_answer(string sender)
    {
        await using var h = await WithoutIssueAsync();

        await SendAllowedAsync(h, Pull, sender, "/check-issue");

        h.Forge.LabelsOf(Pull).ShouldBe([Labels.NeedsIssue]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe($"@{sender}: {NoIssueAnswer}");
    }

    [Theory]
    [MemberData(nameof(RemoveSenders))]
    public async Task Removing_needs_issue_is_for_members(string sender, bool allowed)
    {
        await using var h = await WithoutIssueAsync();
        await h.Forge.AddLabelsAsync(PluginHarness.Repo, Pull, [Labels.NeedsIssue], CancellationToken.None);
        if (allowed)
        {
            await SendAllowedAsync(h, Pull, sender, "/remove-needs-issue");
            h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        }
        else
        {
            await ShouldBeRefusedAsync(h, Pull, sender, "/remove-needs-issue", "/remove-needs-issue", "repository members");
            h.Forge.LabelsOf(Pull).ShouldBe([Labels.NeedsIssue]);
        }
    }

    [Fact]
    public async Task Linking_an_issue_and_checking_again_removes_the_label_silently()
    {
        await using var h = await WithoutIssueAsync();
        await h.CommentAsync(Pull, Author, "/check-issue");
        h.Forge.Issues[Pull] = h.Forge.Issues[Pull] with { Body = "Makes it shorter. Closes openeuler/hello#12" };

        await h.CommentAsync(Pull, Author, "/check-issue");

        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        h.Forge.CommentsOn(Pull).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_reference_in_the_title_is_enough()
    {
        await using var h = await WithoutIssueAsync();
        h.Forge.Issues[Pull] = h.Forge.Issues[Pull] with { Title = "Refactor the parser (#I1ABC2)" };
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Author, "/check-issue");

        h.Forge.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_opened_pull_request_without_an_issue_is_labelled_without_a_comment()
    {
        await using var h = await WithoutIssueAsync();

        await h.SendAsync(h.EventFor(Pull, BotEventKind.PullRequest, "opened", Author));

        h.Forge.LabelsOf(Pull).ShouldBe([Labels.NeedsIssue]);
        h.Forge.CommentsOn(Pull).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_opened_pull_request_with_an_issue_is_left_alone()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.SendAsync(h.EventFor(Pull, BotEventKind.PullRequest, "opened", Author));

        h.Forge.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Editing_in_a_reference_removes_the_label()
    {
        await using var h = await WithoutIssueAsync();
        await h.SendAsync(h.EventFor(Pull, BotEventKind.PullRequest, "opened", Author));
        h.Forge.Issues[Pull] = h.Forge.Issues[Pull] with { Body = "For https://gitee.com/openeuler/hello/issues/I4XYZ8" };

        await h.SendAsync(h.EventFor(Pull, BotEventKind.PullRequest, "edited", Author));

        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        h.Forge.CommentsOn(Pull).ShouldBeEmpty();
    }

    [Fact]
    public async Task Editing_a_closed_pull_request_changes_nothing()
    {
        await using var h = await WithoutIssueAsync();
        h.Forge.Issues[Pull] = h.Forge.Issues[Pull] with { State = "closed" };
        h.Forge.Calls.Clear();

        await h.SendAsync(h.EventFor(Pull, BotEventKind.PullRequest, "edited", Author));

        h.Forge.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task On_an_issue_it_answers_that_the_check_is_for_pull_requests()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Issue, Stranger, "/check-issue");

        h.Forge.LabelsOf(Issue).ShouldBeEmpty();
        h.Forge.CommentsOn(Issue).Single().ShouldBe("@sam: `/check-issue` applies to pull requests only; nothing was done.");
    }
}
