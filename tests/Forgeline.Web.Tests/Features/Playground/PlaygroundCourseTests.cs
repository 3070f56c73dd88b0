using System.Text.RegularExpressions;
using Forgeline.Web.Features.Playground;

namespace Forgeline.Web.Tests.Features.Playground;

public sealed class PlaygroundCourseTests
{
    [Fact]
    public void Markdown_becomes_html_with_headings_code_lists_and_tables()
    {
        var html = PlaygroundCourse.ToHtml("# Git\n\nRun `git init`:\n\n```sh\ngit init\n```\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");

        html.ShouldContain("<h1>Git</h1>");
        html.ShouldContain("<code>git init</code>");
        html.ShouldContain("<pre><code class=\"language-sh\">git init\n</code></pre>");
        html.ShouldContain("<li>two</li>");
        html.ShouldContain("<td>2</td>");
    }

    [Fact]
    public void Raw_html_comes_out_as_text()
    {
        var html = PlaygroundCourse.ToHtml("<script>alert(1)</script>\n\nHello <img src=x onerror=alert(2)> there\n");

        html.ShouldNotContain("<script");
        html.ShouldNotContain("<img");
        html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        html.ShouldContain("&lt;img src=x onerror=alert(2)&gt;");
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click](javascript&#58;alert(1))")]
    [InlineData("[click](data:text/html,<script>alert(1)</script>)")]
    [InlineData("[click][r]\n\n[r]: vbscript:msgbox(1)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("![x](javascript:alert(1))")]
    public void Links_to_scripts_and_data_lose_their_url(string markdown)
    {
        var html = PlaygroundCourse.ToHtml(markdown);

        // The text may still read "javascript:…"; no href or src may lead there.
        Regex.IsMatch(html, "(href|src)=\"[^\"]*(script|data):", RegexOptions.IgnoreCase).ShouldBeFalse(html);
        Regex.IsMatch(html, "(href|src)=\"\"").ShouldBeTrue(html);
    }

    [Fact]
    public void Links_open_apart_from_the_terminal_without_referrer_power_or_seo_credit()
    {
        var html = PlaygroundCourse.ToHtml("See [the docs](https://example.org/git) and https://example.org/bare and <https://example.org/angle>.");

        html.ShouldContain("<a href=\"https://example.org/git\" rel=\"noopener nofollow\" target=\"_blank\">the docs</a>");
        html.ShouldContain("<a href=\"https://example.org/bare\" rel=\"noopener nofollow\" target=\"_blank\">https://example.org/bare</a>");
        html.ShouldContain("<a href=\"https://example.org/angle\" rel=\"noopener nofollow\" target=\"_blank\">https://example.org/angle</a>");
    }

    [Fact]
    public void Attribute_syntax_cannot_add_event_handlers()
    {
        var html = PlaygroundCourse.ToHtml("# Title {onclick=alert(1)}\n\n[x](https://example.org){onmouseover=alert(2)}\n");

        html.ShouldNotContain("onclick=\"");
        html.ShouldNotContain("onmouseover=\"");
    }

    [Fact]
    public void No_course_is_no_html()
    {
        PlaygroundCourse.ToHtml(null).ShouldBe("");
        PlaygroundCourse.ToHtml("  \n").ShouldBe("");
    }

    [Theory]
    [InlineData("https://example.org", true)]
    [InlineData("http://example.org", true)]
    [InlineData("mailto:a@example.org", true)]
    [InlineData("/playground/git", true)]
    [InlineData("#step-2", true)]
    [InlineData("docs/intro.md?x=a:b", true)]
    [InlineData("java\tscript:alert(1)", false)]
    [InlineData(" javascript:alert(1)", false)]
    [InlineData("file:///etc/passwd", false)]
    public void Only_web_mail_and_relative_urls_are_safe(string url, bool safe) => PlaygroundCourse.IsSafe(url).ShouldBe(safe);
}
