using Forgeline.Bot.Plugins;
using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.Collaborators;

public sealed class CollaboratorsPluginTests
{
    public static TheoryData<string> AnyoneMay => new() { Stranger, Author, OrgMember, Member };

    private static async Task<IReadOnlySet<string>> CollaboratorsOf(PluginHarness h, int number) =>
        (await h.Pulls.GetAsync(PluginHarness.Repo, number, CancellationToken.None)).Collaborators;

    [Theory]
    [MemberData(nameof(AnyoneMay))]
    public async Task Anyone_may_add_and_remove_repository_members(string sender)
    {
        await using var h = await CreateAsync();

        await SendAllowedAsync(h, Pull, sender, "/add-collaborator @mike");
        (await CollaboratorsOf(h, Pull)).ShouldBe([PullCollaborator, Member], ignoreOrder: true);
        h.Forge.CommentsOn(Pull)[^1].ShouldBe($"@{sender}: added @mike as a collaborator of this pull request.");

        await SendAllowedAsync(h, Pull, sender, "/rm-collaborator @mike @pete");
        (await CollaboratorsOf(h, Pull)).ShouldBeEmpty();
        h.Forge.CommentsOn(Pull)[^1].ShouldBe($"@{sender}: removed @mike, @pete from the collaborators of this pull request.");
    }

    [Fact]
    public async Task People_who_are_not_repository_members_are_refused_and_the_others_added()
    {
        await using var h = await CreateAsync();
        h.Forge.Collaborators.Add("molly");

        await h.CommentAsync(Pull, Author, "/add-collaborator @mike @sam @olga @molly @pete @x!");

        (await CollaboratorsOf(h, Pull)).ShouldBe([PullCollaborator, Member, "molly"], ignoreOrder: true);
        h.Forge.CommentsOn(Pull).Single().ShouldBe(
            "@alice: added @mike, @molly as collaborators of this pull request; @pete was already a collaborator; "
            + "not added: @sam, @olga (are not members of the repository); `@x!` is not a user name.");
    }

    [Fact]
    public async Task Removing_someone_who_is_not_a_collaborator_says_so_and_changes_nothing()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, Stranger, "/rm-collaborator @mike");

        (await CollaboratorsOf(h, Pull)).ShouldBe([PullCollaborator]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@sam: @mike was not a collaborator.");
    }

    [Fact]
    public async Task Without_names_it_answers_with_the_usage()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Member, "/add-collaborator\n/rm-collaborator @");

        h.Forge.Calls.ShouldBe([$"Comment #{Pull}", $"Comment #{Pull}"]);
        h.Forge.CommentsOn(Pull).ShouldBe([
            "@mike: `/add-collaborator` needs arguments: `/add-collaborator @user …`.",
            "@mike: name the people: `/rm-collaborator @user …`; nothing was done.",
        ]);
        (await CollaboratorsOf(h, Pull)).ShouldBe([PullCollaborator]);
    }

    [Fact]
    public async Task An_added_collaborator_who_later_leaves_the_repository_still_reviews_only_this_pull_request()
    {
        await using var h = await CreateAsync();
        h.Forge.Collaborators.Add("molly");
        h.Forge.AddPull(3, Author);
        await h.CommentAsync(Pull, Author, "/add-collaborator @molly");
        h.Forge.Collaborators.Remove("molly");

        await h.CommentAsync(Pull, "molly", "/lgtm");
        await h.CommentAsync(3, "molly", "/lgtm");

        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Lgtm]);
        h.Forge.LabelsOf(3).ShouldBeEmpty();
    }
}
