using Forgeline.Bot.Commands;

namespace Forgeline.Bot.Tests.Commands;

public sealed class CommandParserTests
{
    private static readonly CommandParser Parser = new([
        new CommandSpec("lgtm", "/lgtm [cancel]", "Adds lgtm.", CommandAudience.Reviewers, "lgtm"),
        new CommandSpec("approve", "/approve [cancel]", "Approves.", CommandAudience.Approvers, "approve"),
        new CommandSpec("close", "/close", "Closes.", CommandAudience.AuthorOrMembers, "lifecycle", CommandArguments.None),
        new CommandSpec("assign", "/assign [@user …]", "Assigns.", CommandAudience.Anyone, "assign"),
    ]);

    public static TheoryData<string, string[]> Comments => new()
    {
        { "/lgtm", ["lgtm"] },
        { "  /LGTM  ", ["lgtm"] },
        { "/lgtm cancel", ["lgtm cancel"] },
        { "looks good\n/lgtm\n/approve", ["lgtm", "approve"] },
        { "> /approve\nthanks", [] },
        { "```\n/lgtm\n```", [] },
        { "~~~sh\n/approve\n~~~\n/lgtm", ["lgtm"] },
        { "text\n\n    /approve\n", [] },
        { "say /lgtm inline", [] },
        { "/lgtmfoo", [] },
        { "/close please", [] },
        { "/close", ["close"] },
        { "/unknown-command\n/assign @a @b", ["assign @a @b"] },
        { "", [] },
        { "/lgtm\r\n/approve cancel\r\n", ["lgtm", "approve cancel"] },
    };

    [Theory]
    [MemberData(nameof(Comments))]
    public void Finds_the_commands_outside_quotes_and_code(string body, string[] expected)
    {
        var found = Parser.Parse(body).Select(c => string.Join(' ', [c.Spec.Name, .. c.Arguments])).ToArray();
        found.ShouldBe(expected);
    }

    [Fact]
    public void Reads_logins_and_cancel()
    {
        var assign = Parser.Parse("/assign @alice bob").Single();
        assign.Logins.ShouldBe(["alice", "bob"]);
        Parser.Parse("/lgtm cancel").Single().IsCancel.ShouldBeTrue();
        Parser.Parse("/lgtm").Single().IsCancel.ShouldBeFalse();
    }
}
