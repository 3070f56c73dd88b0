using Forgeline.Bot.Plugins;
using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.Hold;

public sealed class HoldPluginTests
{
    public static TheoryData<string> AnyoneMay => new() { Stranger, Author, OrgMember, Member, Reviewer };

    [Theory]
    [MemberData(nameof(AnyoneMay))]
    public async Task Anyone_may_hold_and_cancel_the_hold(string sender)
    {
        await using var h = await CreateAsync();

        await SendAllowedAsync(h, Pull, sender, "/hold");
        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Hold]);

        await SendAllowedAsync(h, Pull, sender, "/hold cancel");
        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        h.Forge.CommentsOn(Pull).ShouldBeEmpty();
    }

    [Fact]
    public async Task Text_after_hold_is_a_reason_and_still_holds()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, Stranger, "/hold until the release is out");

        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Hold]);
    }

    [Fact]
    public async Task Cancel_is_matched_whatever_its_case()
    {
        await using var h = await CreateAsync();
        await h.CommentAsync(Pull, Stranger, "/hold");

        await h.CommentAsync(Pull, Stranger, "/HOLD Cancel");

        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
    }
}
