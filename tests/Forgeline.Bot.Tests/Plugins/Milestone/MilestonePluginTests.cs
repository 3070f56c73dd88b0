using Forgeline.Bot.Events;
using Forgeline.Bot.Plugins;
using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.Milestone;

public sealed class MilestonePluginTests
{
    public static TheoryData<string, int> AnyoneMay => new() { { Stranger, Issue }, { Author, Pull }, { Member, Issue }, { OrgMember, Pull } };

    [Theory]
    [MemberData(nameof(AnyoneMay))]
    public async Task Anyone_may_check_and_without_a_milestone_it_is_labelled_with_an_answer(string sender, int number)
    {
        await using var h = await CreateAsync();

        await SendAllowedAsync(h, number, sender, "/check-milestone");

        h.Forge.LabelsOf(number).ShouldBe([Labels.NeedsMilestone]);
        var what = number == Pull ? "pull request" : "issue";
        h.Forge.CommentsOn(number).Single().ShouldBe(
            $"@{sender}: this {what} has no milestone, so it is labelled `needs-milestone`. A maintainer needs to set one; the label then goes by itself.");
    }

    [Fact]
    public async Task With_a_milestone_the_label_goes()
    {
        await using var h = await CreateAsync();
        await h.CommentAsync(Issue, Stranger, "/check-milestone");
        h.Forge.Issues[Issue] = h.Forge.Issues[Issue] with { HasMilestone = true };

        await h.CommentAsync(Issue, Stranger, "/check-milestone");

        h.Forge.LabelsOf(Issue).ShouldBeEmpty();
        h.Forge.CommentsOn(Issue).Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_milestone_is_read_fresh_not_from_the_comments_payload()
    {
        await using var h = await CreateAsync();
        var stale = h.EventFor(Issue, BotEventKind.Comment, "created", Stranger) with { Comment = new CommentInfo("c1", "/check-milestone") };
        h.Forge.Issues[Issue] = h.Forge.Issues[Issue] with { HasMilestone = true };
        h.Forge.Calls.Clear();

        await h.SendAsync(stale);

        h.Forge.Calls.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(BotEventKind.Issue, Issue)]
    [InlineData(BotEventKind.PullRequest, Pull)]
    public async Task Setting_a_milestone_removes_the_label_by_itself(BotEventKind kind, int number)
    {
        await using var h = await CreateAsync();
        await h.Forge.AddLabelsAsync(PluginHarness.Repo, number, [Labels.NeedsMilestone, "bug"], CancellationToken.None);
        h.Forge.Issues[number] = h.Forge.Issues[number] with { HasMilestone = true };

        await h.SendAsync(h.EventFor(number, kind, "milestoned", Member));

        h.Forge.LabelsOf(number).ShouldBe(["bug"]);
        h.Forge.CommentsOn(number).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_late_milestoned_event_after_the_milestone_was_removed_again_keeps_the_label()
    {
        await using var h = await CreateAsync();
        await h.Forge.AddLabelsAsync(PluginHarness.Repo, Issue, [Labels.NeedsMilestone], CancellationToken.None);
        h.Forge.Calls.Clear();

        await h.SendAsync(h.EventFor(Issue, BotEventKind.Issue, "milestoned", Member) with { HasMilestone = true });

        h.Forge.LabelsOf(Issue).ShouldBe([Labels.NeedsMilestone]);
        h.Forge.Calls.ShouldBeEmpty();
    }
}
