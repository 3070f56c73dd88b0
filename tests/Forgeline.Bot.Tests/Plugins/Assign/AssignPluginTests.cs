using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.Assign;

public sealed class AssignPluginTests
{
    public static TheoryData<string, int> AnyoneMayAssign => new()
    {
        { Stranger, Pull }, { Stranger, Issue }, { Author, Pull }, { OrgMember, Issue }, { Member, Pull },
    };

    [Theory]
    [MemberData(nameof(AnyoneMayAssign))]
    public async Task Anyone_may_assign_and_unassign_people_who_belong(string sender, int number)
    {
        await using var h = await CreateAsync();

        await SendAllowedAsync(h, number, sender, $"/assign @{Member}");
        h.Forge.Issues[number].Assignees.ShouldBe([Member]);

        await SendAllowedAsync(h, number, sender, $"/unassign @{Member}");
        h.Forge.Issues[number].Assignees.ShouldBeEmpty();
        h.Forge.CommentsOn(number).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(Member)]
    [InlineData(OrgMember)]
    [InlineData(Author)]
    [InlineData(PullCollaborator)]
    public async Task Without_names_it_assigns_the_sender_when_they_belong(string sender)
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, sender, "/assign");

        h.Forge.Issues[Pull].Assignees.ShouldBe([sender]);
        h.Forge.CommentsOn(Pull).ShouldBeEmpty();
    }

    [Fact]
    public async Task People_who_do_not_belong_are_named_and_left_out_while_the_others_are_assigned()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, Stranger, "/assign @mike, @sam @olga @pete @alice @ghost");

        h.Forge.Issues[Pull].Assignees.ShouldBe(["mike", "olga", "pete", "alice"]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe(
            "@sam: @sam, @ghost cannot be assigned: only repository members, members of openeuler, the author and collaborators added with `/add-collaborator` can. "
            + "@mike, @olga, @pete, @alice were assigned.");
    }

    [Fact]
    public async Task A_stranger_assigning_themselves_is_told_why_not()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Issue, Stranger, "/assign");

        h.Forge.Issues[Issue].Assignees.ShouldBeEmpty();
        h.Forge.Calls.ShouldBe([$"Comment #{Issue}"]);
        h.Forge.CommentsOn(Issue).Single().ShouldEndWith("Nobody was assigned.");
    }

    [Fact]
    public async Task Pull_request_collaborators_count_only_on_their_pull_request()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Issue, Member, $"/assign @{PullCollaborator}");

        h.Forge.Issues[Issue].Assignees.ShouldBeEmpty();
    }

    [Fact]
    public async Task More_than_ten_people_are_refused_whole()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Member, "/assign @mike @olga @alice @pete @a1 @a2 @a3 @a4 @a5 @a6 @a7");

        h.Forge.Issues[Pull].Assignees.ShouldBeEmpty();
        h.Forge.Calls.ShouldBe([$"Comment #{Pull}"]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@mike: `/assign` takes at most 10 people at once; nothing was done.");
    }

    [Fact]
    public async Task Things_that_are_not_user_names_are_named_and_never_sent_to_the_forge()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, Member, "/assign @mike @<script> @-x");

        h.Forge.Issues[Pull].Assignees.ShouldBe([Member]);
        h.Forge.Calls.ShouldNotContain(c => c.Contains("script", StringComparison.Ordinal));
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@mike: `@<script>`, `@-x` are not user names. @mike was assigned.");
    }

    [Fact]
    public async Task Unassign_without_names_unassigns_the_sender()
    {
        await using var h = await CreateAsync();
        await h.CommentAsync(Pull, Member, "/assign @mike @olga");

        await h.CommentAsync(Pull, Member, "/unassign");

        h.Forge.Issues[Pull].Assignees.ShouldBe([OrgMember]);
    }
}
