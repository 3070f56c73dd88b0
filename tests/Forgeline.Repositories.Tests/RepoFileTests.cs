using Forgeline.Repositories;

namespace Forgeline.Repositories.Tests;

/// <summary>The .repo file users drop into /etc/yum.repos.d.</summary>
public sealed class RepoFileTests
{
    [Fact]
    public void A_repo_file_turns_on_both_signature_checks_and_names_the_key()
    {
        var text = RepoFile.Render("forgeline-alice-tools", "Forgeline alice/tools (fedora-40)", "https://forge.example/repos/alice/tools/fedora-40-$basearch/",
            "https://forge.example/repos/alice/tools/key.asc");

        text.ShouldBe("""
            [forgeline-alice-tools]
            name=Forgeline alice/tools (fedora-40)
            baseurl=https://forge.example/repos/alice/tools/fedora-40-$basearch/
            enabled=1
            gpgcheck=1
            repo_gpgcheck=1
            gpgkey=https://forge.example/repos/alice/tools/key.asc

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, "skip_if_unavailable=True\n")]
    [InlineData(false, "skip_if_unavailable=False\n")]
    public void Skip_if_unavailable_is_written_only_when_asked(bool skip, string line)
    {
        RepoFile.Render("r", "R", "http://localhost/", "http://localhost/key.asc", skip).ShouldEndWith(line);
        RepoFile.Render("r", "R", "http://localhost/", "http://localhost/key.asc").ShouldNotContain("skip_if_unavailable");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("new\nline")]
    [InlineData("bracket]")]
    [InlineData("slash/id")]
    [InlineData("ünïcode")]
    public void Ids_dnf_would_refuse_are_refused(string id)
    {
        Should.Throw<ArgumentException>(() => RepoFile.Render(id, "R", "http://localhost/", "http://localhost/key.asc")).ParamName.ShouldBe("id");
    }

    [Theory]
    [InlineData("ftp://example/repo/")]
    [InlineData("/srv/repo")]
    [InlineData("https://example/repo/\ngpgcheck=0")]
    [InlineData("https://example/$unknown/")]
    [InlineData("https://example/a b/")]
    public void Base_urls_that_are_not_absolute_http_or_would_inject_lines_are_refused(string url)
    {
        Should.Throw<ArgumentException>(() => RepoFile.Render("r", "R", url, "http://localhost/key.asc")).ParamName.ShouldBe("baseUrl");
    }

    [Fact]
    public void A_name_with_a_line_break_is_refused()
    {
        Should.Throw<ArgumentException>(() => RepoFile.Render("r", "R\ngpgcheck=0", "http://localhost/", "http://localhost/key.asc")).ParamName.ShouldBe("name");
    }
}
