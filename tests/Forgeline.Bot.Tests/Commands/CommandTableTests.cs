using Forgeline.Bot.Commands;

namespace Forgeline.Bot.Tests.Commands;

public sealed class CommandTableTests
{
    [Fact]
    public void Writes_one_row_per_command_in_order_with_who_may_use_it()
    {
        var table = CommandTable.Markdown([
            new CommandSpec("hold", "/hold [cancel]", "Holds.", CommandAudience.Anyone),
            new CommandSpec("label", "/label name …", "Adds labels.", CommandAudience.Members, Who: "maintainers"),
        ]);

        table.ShouldBe(
            "| Command | What it does | Who may use it |\n| --- | --- | --- |\n"
            + "| `/hold [cancel]` | Holds. | anyone |\n"
            + "| `/label name …` | Adds labels. | maintainers |\n");
    }

    [Fact]
    public void Says_who_may_cancel_when_that_differs_and_the_who_text_does_not_say_it()
    {
        var spec = new CommandSpec("lgtm", "/lgtm [cancel]", "Lgtm.", CommandAudience.Reviewers, CancelAudience: CommandAudience.AuthorOrReviewers);

        CommandTable.Who(spec).ShouldBe(
            "reviewers and approvers from OWNERS, collaborators; `cancel`: the author, reviewers and approvers from OWNERS, collaborators");
        CommandTable.Who(spec with { Who = "reviewers; the author may cancel" }).ShouldBe("reviewers; the author may cancel");
    }

    [Fact]
    public void Pipes_and_line_breaks_in_the_data_cannot_break_the_table()
    {
        var table = CommandTable.Markdown([new CommandSpec("x", "/x a|b", "One\r\ntwo | three `code`", CommandAudience.Anyone)]);

        var row = table.Split('\n')[2];
        row.ShouldBe("| `/x a\\|b` | One two \\| three `code` | anyone |");
        table.Split('\n').Length.ShouldBe(4);
    }

    [Fact]
    public void No_commands_is_just_the_header()
    {
        CommandTable.Markdown([]).ShouldBe("| Command | What it does | Who may use it |\n| --- | --- | --- |\n");
    }
}
