using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.Lifecycle;

public sealed class LifecyclePluginTests
{
    private const string AuthorOrMembersWho = "the author, repository members";

    public static TheoryData<string, int, bool> Senders => new()
    {
        { Author, Pull, true },
        { Author, Issue, true },
        { Member, Pull, true },
        { Member, Issue, true },
        { Reviewer, Pull, false },
        { Approver, Pull, false },
        { PullCollaborator, Pull, false },
        { OrgMember, Issue, false },
        { Stranger, Pull, false },
        { Stranger, Issue, false },
    };

    [Theory]
    [MemberData(nameof(Senders))]
    public async Task Close_and_reopen_are_for_the_author_and_members(string sender, int number, bool allowed)
    {
        await using var h = await CreateAsync();
        if (allowed)
        {
            await SendAllowedAsync(h, number, sender, "/close");
            h.Forge.Issues[number].State.ShouldBe("closed");
            await SendAllowedAsync(h, number, sender, "/reopen");
            h.Forge.Issues[number].State.ShouldBe("open");
            h.Forge.CommentsOn(number).ShouldBeEmpty();
        }
        else
        {
            await ShouldBeRefusedAsync(h, number, sender, "/close", "/close", AuthorOrMembersWho);
            h.Forge.Issues[number] = h.Forge.Issues[number] with { State = "closed" };
            await ShouldBeRefusedAsync(h, number, sender, "/reopen", "/reopen", AuthorOrMembersWho);
        }
    }

    [Fact]
    public async Task A_merged_pull_request_is_not_reopened()
    {
        await using var h = await CreateAsync();
        h.Forge.Issues[Pull] = h.Forge.Issues[Pull] with { State = "merged" };
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Member, "/reopen");

        h.Forge.Issues[Pull].State.ShouldBe("merged");
        h.Forge.Calls.ShouldBe([$"Comment #{Pull}"]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@mike: this pull request is merged; it cannot be reopened. Open a new one for further changes.");
    }

    [Fact]
    public async Task Close_then_reopen_in_one_comment_ends_open()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Issue, Author, "/close\n/reopen");

        h.Forge.Calls.ShouldContain($"Close #{Issue}");
        h.Forge.Calls.ShouldContain($"Reopen #{Issue}");
        h.Forge.Issues[Issue].State.ShouldBe("open");
    }

    [Fact]
    public async Task Reopening_an_open_issue_says_so_and_calls_nothing()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Issue, Author, "/reopen");

        h.Forge.Calls.ShouldBe([$"Comment #{Issue}"]);
        h.Forge.CommentsOn(Issue).Single().ShouldBe("@alice: this issue is already open; nothing was done.");
    }

    [Fact]
    public async Task Text_after_close_makes_it_no_command()
    {
        await using var h = await CreateAsync();

        var outcomes = await h.CommentAsync(Issue, Author, "/close please");

        outcomes.ShouldBeEmpty();
        h.Forge.Issues[Issue].State.ShouldBe("open");
    }
}
