using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.Cc;

public sealed class CcPluginTests
{
    public static TheoryData<string> AnyoneMay => new() { Stranger, Author, OrgMember, Member };

    [Theory]
    [MemberData(nameof(AnyoneMay))]
    public async Task Anyone_may_request_reviews_on_a_pull_request(string sender)
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await SendAllowedAsync(h, Pull, sender, "/cc @rita @Mike");

        h.Forge.Calls.ShouldBe([$"RequestReviewers #{Pull} rita mike"]);
        h.Forge.CommentsOn(Pull).ShouldBeEmpty();
    }

    [Fact]
    public async Task On_an_issue_it_answers_that_cc_is_for_pull_requests()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Issue, Member, "/cc @rita");

        h.Forge.Calls.ShouldBe([$"Comment #{Issue}"]);
        h.Forge.CommentsOn(Issue).Single().ShouldBe("@mike: `/cc` requests reviews, so it works only on pull requests; nothing was done. Use `/assign` on issues.");
    }

    [Fact]
    public async Task The_author_is_left_out_with_a_word_and_the_others_asked()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Member, "/cc @alice @rita");

        h.Forge.Calls.ShouldBe([$"RequestReviewers #{Pull} rita", $"Comment #{Pull}"]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@mike: @alice wrote this pull request and cannot review it. Reviews were requested from @rita.");
    }

    [Fact]
    public async Task More_than_ten_people_are_refused_whole()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Member, "/cc @a1 @a2 @a3 @a4 @a5 @a6 @a7 @a8 @a9 @a10 @a11");

        h.Forge.Calls.ShouldBe([$"Comment #{Pull}"]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@mike: `/cc` takes at most 10 people at once; nothing was done.");
    }

    [Fact]
    public async Task Malformed_names_are_not_sent_to_the_forge()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Member, "/cc @rita @'x' @<b>");

        h.Forge.Calls.ShouldBe([$"RequestReviewers #{Pull} rita", $"Comment #{Pull}"]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@mike: `@'x'`, `@<b>` are not user names. Reviews were requested from @rita.");
    }
}
