using System.Text.RegularExpressions;

namespace Forgeline.Bot.Plugins.IssueCheck;

/// <summary>
/// Finds references to issues in a pull request's title or description: <c>#123</c>, <c>owner/repo#123</c>, an issue URL
/// (<c>…/issues/123</c>, GitLab's <c>…/-/issues/123</c>, Gitee's <c>…/issues/I1ABC2</c>) and Gitee issue ids (<c>#I1ABC2</c>).
/// </summary>
public static partial class IssueReferences
{
    /// <summary>Whether <paramref name="text"/> references an issue.</summary>
    public static bool Any(string? text) => !string.IsNullOrEmpty(text) && Reference().IsMatch(text);

    // #123 not preceded by a word character or '&' (HTML entities such as &#123;), nor followed by one (#123abc is a colour or anchor);
    // owner/repo#123; #I1ABC2 (Gitee: 'I' and five or six upper-case letters or digits, at least one a digit,
    // so that #IMPORTANT is not an issue); URLs ending in /issues/<number or Gitee id>.
    [GeneratedRegex(@"(?:(?<![\w&])|(?<=[\w.-]/[\w.-]+))#(?:\d+|I(?=[0-9A-Z]{0,5}[0-9])[0-9A-Z]{5,6})(?![\w-])|https?://\S+?/issues/(?:\d+|I(?=[0-9A-Z]{0,5}[0-9])[0-9A-Z]{5,6})(?![\w-])")]
    private static partial Regex Reference();
}
