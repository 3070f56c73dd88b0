using Forgeline.Bot.Plugins;
using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.Label;

public sealed class LabelPluginTests
{
    private const string MembersWho = "repository members";

    public static TheoryData<string, string, bool> Senders => new()
    {
        { Member, "/label", true },
        { Member, "/remove-label", true },
        { Reviewer, "/label", false },
        { Approver, "/label", false },
        { Author, "/label", false },
        { OrgMember, "/label", false },
        { PullCollaborator, "/label", false },
        { Stranger, "/label", false },
        { Stranger, "/remove-label", false },
        { Author, "/remove-label", false },
    };

    [Theory]
    [MemberData(nameof(Senders))]
    public async Task Labels_are_for_repository_members(string sender, string command, bool allowed)
    {
        await using var h = await CreateAsync();
        await h.Forge.AddLabelsAsync(PluginHarness.Repo, Pull, ["bug"], CancellationToken.None);
        var body = $"{command} bug";
        if (allowed)
        {
            await SendAllowedAsync(h, Pull, sender, body);
            h.Forge.LabelsOf(Pull).ShouldBe(command == "/label" ? ["bug"] : []);
            h.Forge.CommentsOn(Pull).ShouldBeEmpty();
        }
        else
        {
            await ShouldBeRefusedAsync(h, Pull, sender, body, command, MembersWho);
        }
    }

    [Fact]
    public async Task Several_labels_are_added_at_once()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Issue, Member, "/label bug kind/feature sig/docs");

        h.Forge.LabelsOf(Issue).ShouldBe(["bug", "kind/feature", "sig/docs"]);
        h.Forge.Calls.Count(c => c.StartsWith("AddLabels", StringComparison.Ordinal)).ShouldBe(1);
    }

    public static TheoryData<string, string> ManagedLabels => new()
    {
        { "lgtm", "use `/lgtm` or `/lgtm cancel`" },
        { "LGTM", "use `/lgtm` or `/lgtm cancel`" },
        { "approved", "use `/approve` or `/approve cancel`" },
        { "openeuler-cla/yes", "sign the CLA, then use `/check-cla`" },
        { "openeuler-cla/no", "sign the CLA, then use `/check-cla`" },
        { "needs-issue", "use `/check-issue` after linking an issue, or a member's `/remove-needs-issue`" },
        { "needs-milestone", "set a milestone, or use `/check-milestone`" },
        { "ok-to-test", "use `/ok-to-test`" },
        { "needs-ok-to-test", "use `/ok-to-test`" },
        { "needs-rebase", "the bot sets it while the pull request conflicts with its base branch; rebase to clear it" },
    };

    [Theory]
    [MemberData(nameof(ManagedLabels))]
    public async Task Labels_the_bot_manages_are_refused_naming_the_command(string label, string how)
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, Member, $"/label {label}");
        await h.CommentAsync(Pull, Member, $"/remove-label {label}");

        h.Forge.Calls.ShouldNotContain(c => c.StartsWith("AddLabels", StringComparison.Ordinal) || c.StartsWith("RemoveLabel", StringComparison.Ordinal));
        h.Forge.CommentsOn(Pull).ShouldBe([
            $"@mike: `{label}` is managed by the bot: {how}. No label was added.",
            $"@mike: `{label}` is managed by the bot: {how}. No label was removed.",
        ]);
    }

    [Fact]
    public async Task Hold_is_not_managed_and_may_be_set_with_label_too()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, Member, $"/label {Labels.Hold}");

        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Hold]);
    }

    [Fact]
    public async Task Refused_labels_are_named_and_the_others_still_added()
    {
        await using var h = await CreateAsync();
        var tooLong = new string('x', 51);

        await h.CommentAsync(Pull, Member, $"/label bug lgtm a,b {tooLong} bell\u0007 docs");

        h.Forge.LabelsOf(Pull).ShouldBe(["bug", "docs"]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe(
            "@mike: `lgtm` is managed by the bot: use `/lgtm` or `/lgtm cancel`; `a,b` contains a comma; "
            + $"`{tooLong}` is longer than 50 characters; `bell\uFFFD` contains control characters. `bug`, `docs` were added.");
    }

    [Fact]
    public async Task Fifty_characters_is_still_a_label()
    {
        await using var h = await CreateAsync();
        var longest = new string('x', 50);

        await h.CommentAsync(Pull, Member, $"/label {longest}");

        h.Forge.LabelsOf(Pull).ShouldBe([longest]);
    }

    [Fact]
    public async Task More_than_ten_labels_are_refused_whole()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Member, "/label a b c d e f g h i j k");

        h.Forge.LabelsOf(Pull).ShouldBeEmpty();
        h.Forge.Calls.ShouldBe([$"Comment #{Pull}"]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@mike: `/label` takes at most 10 labels at once; nothing was done.");
    }

    [Fact]
    public async Task Without_labels_it_answers_with_the_usage()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, Member, "/label");

        h.Forge.CommentsOn(Pull).Single().ShouldBe("@mike: `/label` needs arguments: `/label name …`.");
    }
}
