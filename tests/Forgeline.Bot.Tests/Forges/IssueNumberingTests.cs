using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Tests.Forges;

public sealed class IssueNumberingTests
{
    [Theory]
    [InlineData("I00000", -1)]
    [InlineData("I00001", -2)]
    [InlineData("I0000Z", -36)]
    [InlineData("I00010", -37)]
    [InlineData("IZZZZZ", -60_466_176)]
    public void Gitee_issue_numbers_are_negative_base_36(string giteeNumber, int botNumber)
    {
        IssueNumbering.FromGiteeIssue(giteeNumber).ShouldBe(botNumber);
        IssueNumbering.ToGiteeIssue(botNumber).ShouldBe(giteeNumber);
        IssueNumbering.IsIssue(botNumber).ShouldBeTrue();
    }

    [Theory]
    [InlineData("I4CYEO")]
    [InlineData("I1ICN6")]
    [InlineData("IB7QXZ")]
    public void Real_gitee_issue_numbers_survive_the_round_trip(string giteeNumber) =>
        IssueNumbering.ToGiteeIssue(IssueNumbering.FromGiteeIssue(giteeNumber)).ShouldBe(giteeNumber);

    [Theory]
    [InlineData("")]
    [InlineData("4CYEO1")]
    [InlineData("I4CYE")]
    [InlineData("I4CYEO7")]
    [InlineData("I4cyeo")]
    [InlineData("I4-YEO")]
    public void Other_shapes_of_gitee_number_are_refused_with_the_number_in_the_message(string giteeNumber) =>
        Should.Throw<FormatException>(() => IssueNumbering.FromGiteeIssue(giteeNumber)).Message.ShouldContain($"'{giteeNumber}'");

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(-60_466_177)]
    public void Numbers_that_name_no_gitee_issue_are_refused(int botNumber) =>
        Should.Throw<ArgumentOutOfRangeException>(() => IssueNumbering.ToGiteeIssue(botNumber));

    [Fact]
    public void GitLab_issue_iids_are_negated_and_merge_requests_keep_theirs()
    {
        IssueNumbering.FromGitLabIssue(5).ShouldBe(-5);
        IssueNumbering.ToGitLabIssue(-5).ShouldBe(5);
        IssueNumbering.IsIssue(5).ShouldBeFalse();
        Should.Throw<ArgumentOutOfRangeException>(() => IssueNumbering.FromGitLabIssue(0));
        Should.Throw<ArgumentOutOfRangeException>(() => IssueNumbering.ToGitLabIssue(5));
    }
}
