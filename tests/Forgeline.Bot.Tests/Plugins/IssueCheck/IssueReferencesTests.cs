using Forgeline.Bot.Plugins.IssueCheck;

namespace Forgeline.Bot.Tests.Plugins.IssueCheck;

public sealed class IssueReferencesTests
{
    [Theory]
    [InlineData("Fixes #123", true)]
    [InlineData("#1", true)]
    [InlineData("see (#42).", true)]
    [InlineData("openeuler/kernel#77", true)]
    [InlineData("part of src-openeuler/glibc.spec#5", true)]
    [InlineData("https://github.com/openeuler/hello/issues/9", true)]
    [InlineData("https://gitlab.com/group/sub/project/-/issues/12", true)]
    [InlineData("https://gitee.com/openeuler/community/issues/I1ABC2", true)]
    [InlineData("gitee #I4XYZ8 closes it", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("Refactor the parser", false)]
    [InlineData("issue#12 without a space", false)]
    [InlineData("the colour #12ab34", false)]
    [InlineData("&#123; is an entity", false)]
    [InlineData("#IMPORTANT change", false)]
    [InlineData("# Heading\n## Details", false)]
    [InlineData("https://github.com/openeuler/hello/pull/9", false)]
    [InlineData("https://github.com/openeuler/hello/issues", false)]
    [InlineData("#i1abc2 in lower case", false)]
    public void Finds_issue_references(string? text, bool expected) => IssueReferences.Any(text).ShouldBe(expected);
}
