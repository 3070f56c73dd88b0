using Forgeline.Bot.Plugins;
using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins;

/// <summary>How the review plugins read comments, through the real dispatcher: what runs, what is ignored, in which order.</summary>
public sealed class CommentHandlingTests
{
    [Theory]
    [InlineData("> /approve\n\nI agree with the above")]
    [InlineData("> /lgtm\n> /hold")]
    [InlineData("```\n/lgtm\n/approve\n```")]
    [InlineData("~~~\n/hold\n~~~")]
    [InlineData("Example:\n\n    /approve\n    /lgtm")]
    [InlineData("I will /lgtm once the tests pass")]
    public async Task Quoted_commands_code_and_inline_mentions_are_ignored(string body)
    {
        await using var h = await CreateAsync();
        h.Forge.Files["OWNERS"] = $"approvers:\n- {Approver}\n";
        h.Forge.Calls.Clear();

        var outcomes = await h.CommentAsync(Pull, Approver, body);

        outcomes.ShouldBeEmpty();
        h.Forge.Calls.ShouldBeEmpty();
        (await h.Pulls.GetAsync(PluginHarness.Repo, Pull, CancellationToken.None)).Approvers.ShouldBeEmpty();
    }

    [Fact]
    public async Task Several_commands_in_one_comment_all_run_each_plugins_in_order()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Member, "Thanks!\n/lgtm\n/hold\n/label bug\n/lgtm cancel\n/remove-label bug\n/label docs\n/hold cancel");

        h.Forge.Calls.ShouldBe([
            "AddLabels #1 lgtm", "RemoveLabel #1 lgtm",
            "AddLabels #1 do-not-merge/hold", "RemoveLabel #1 do-not-merge/hold",
            "AddLabels #1 bug", "RemoveLabel #1 bug", "AddLabels #1 docs",
        ]);
        h.Forge.LabelsOf(Pull).ShouldBe(["docs"]);
    }

    [Fact]
    public async Task In_one_comment_a_refused_command_is_answered_and_the_allowed_ones_still_run()
    {
        await using var h = await CreateAsync();

        await h.CommentAsync(Pull, Reviewer, "/lgtm\n/label bug\n/hold");

        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Lgtm, Labels.Hold]);
        h.Forge.CommentsOn(Pull).Single().ShouldBe("@rita: `/label` is for repository members; you are not one of them, so nothing was done.");
    }

    [Fact]
    public async Task An_edited_comment_runs_only_the_commands_the_edit_added()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Member, "/hold\n/lgtm\n/label bug", action: "edited", previousBody: "/hold\n/label bug typo");

        h.Forge.Calls.ShouldBe(["AddLabels #1 lgtm", "AddLabels #1 bug"]);
    }

    [Fact]
    public async Task An_edit_that_keeps_the_commands_runs_nothing_again()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        await h.CommentAsync(Pull, Member, "/lgtm\nlooks good, fixed my typo", action: "edited", previousBody: "/lgtm\nloks good");

        h.Forge.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_edited_comment_without_the_previous_body_runs_nothing()
    {
        await using var h = await CreateAsync();
        h.Forge.Calls.Clear();

        var outcomes = await h.CommentAsync(Pull, Member, "/lgtm\n/hold", action: "edited", previousBody: null);

        outcomes.ShouldBeEmpty();
        h.Forge.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_deleted_comment_runs_nothing()
    {
        await using var h = await CreateAsync();
        await h.Forge.AddLabelsAsync(PluginHarness.Repo, Pull, [Labels.Lgtm], CancellationToken.None);
        h.Forge.Calls.Clear();

        var outcomes = await h.CommentAsync(Pull, Member, "/lgtm cancel\n/close", action: "deleted");

        outcomes.ShouldBeEmpty();
        h.Forge.Calls.ShouldBeEmpty();
        h.Forge.LabelsOf(Pull).ShouldBe([Labels.Lgtm]);
    }

    [Fact]
    public async Task The_bots_own_comments_run_nothing()
    {
        await using var h = await CreateAsync();
        h.Forge.Collaborators.Add(h.Config.BotLogin);
        h.Forge.Calls.Clear();

        // The bot quotes commands back in its answers (/help's table, usage lines): they must never run.
        var outcomes = await h.CommentAsync(Pull, h.Config.BotLogin, "/lgtm\n/close\n/label bug");

        outcomes.ShouldBeEmpty();
        h.Forge.Calls.ShouldBeEmpty();
    }
}
