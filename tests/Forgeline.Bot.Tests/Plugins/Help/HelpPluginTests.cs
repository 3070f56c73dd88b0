using static Forgeline.Bot.Tests.Plugins.ReviewTeam;

namespace Forgeline.Bot.Tests.Plugins.Help;

public sealed class HelpPluginTests
{
    public static TheoryData<string> AnyoneMay => new() { Stranger, Author, Member };

    [Theory]
    [MemberData(nameof(AnyoneMay))]
    public async Task Anyone_gets_one_table_of_this_repositorys_commands(string sender)
    {
        await using var h = await CreateAsync(enabled: ["help", "lgtm", "hold", "label"]);

        await SendAllowedAsync(h, Issue, sender, "/help\n/help");

        var answer = h.Forge.CommentsOn(Issue).Single();
        answer.ShouldStartWith($"@{sender}: the commands of this repository (type them on a line of their own in a comment):\n\n| Command | What it does | Who may use it |\n| --- | --- | --- |\n");
        var rows = answer.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        rows.Select(r => r.Split('`')[1]).ShouldBe(["/lgtm [cancel]", "/hold [cancel]", "/label name …", "/remove-label name …", "/help"]);
        rows[3].ShouldBe("| `/remove-label name …` | Removes labels. Labels the bot manages are refused. | repository members |");
    }

    [Fact]
    public async Task Commands_of_plugins_the_repository_does_not_enable_are_not_listed()
    {
        await using var h = await CreateAsync(enabled: ["help"]);

        await h.CommentAsync(Pull, Stranger, "/help");

        var answer = h.Forge.CommentsOn(Pull).Single();
        answer.ShouldContain("`/help`");
        answer.ShouldNotContain("/lgtm");
        answer.ShouldNotContain("/approve");
    }

    [Fact]
    public async Task Text_after_help_makes_it_no_command()
    {
        await using var h = await CreateAsync();

        var outcomes = await h.CommentAsync(Pull, Stranger, "/help me");

        outcomes.ShouldBeEmpty();
        h.Forge.CommentsOn(Pull).ShouldBeEmpty();
    }
}
