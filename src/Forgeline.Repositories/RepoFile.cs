using System.Text;
using System.Text.RegularExpressions;

namespace Forgeline.Repositories;

/// <summary>Renders the <c>.repo</c> file users drop into <c>/etc/yum.repos.d</c> to install from a Forgeline repository.</summary>
public static partial class RepoFile
{
    /// <summary>The dnf variable for the machine's base architecture; put it in a base URL to serve every arch with one file.</summary>
    public const string BaseArch = "$basearch";

    private static readonly string[] Variables = ["$basearch", "$arch", "$releasever"];

    /// <summary>
    /// One repository section: <c>[id]</c>, <c>name=</c>, <c>baseurl=</c>, <c>enabled=1</c>, <c>gpgcheck=1</c>,
    /// <c>repo_gpgcheck=1</c>, <c>gpgkey=</c> and, when given, <c>skip_if_unavailable=</c>. <paramref name="baseUrl"/> may
    /// contain <see cref="BaseArch"/>, <c>$arch</c> or <c>$releasever</c>, which dnf fills in. Throws
    /// <see cref="ArgumentException"/> for an id dnf would refuse, a name or URL that would break the file, or a URL that
    /// is not absolute http(s).
    /// </summary>
    public static string Render(string id, string name, string baseUrl, string gpgKeyUrl, bool? skipIfUnavailable = null)
    {
        if (string.IsNullOrEmpty(id) || !RepoId().IsMatch(id))
        {
            throw new ArgumentException(
                $"'{id}' is not a usable repository id: use letters, digits and '-', '_', '.', ':' (up to 100 characters), e.g. forgeline-alice-tools", nameof(id));
        }

        if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl))
        {
            throw new ArgumentException("the repository name must be one non-empty line", nameof(name));
        }

        CheckUrl(baseUrl, nameof(baseUrl));
        CheckUrl(gpgKeyUrl, nameof(gpgKeyUrl));
        var text = new StringBuilder()
            .Append('[').Append(id).Append("]\n")
            .Append("name=").Append(name.Trim()).Append('\n')
            .Append("baseurl=").Append(baseUrl).Append('\n')
            .Append("enabled=1\n")
            .Append("gpgcheck=1\n")
            .Append("repo_gpgcheck=1\n")
            .Append("gpgkey=").Append(gpgKeyUrl).Append('\n');
        if (skipIfUnavailable is bool skip)
        {
            text.Append("skip_if_unavailable=").Append(skip ? "True" : "False").Append('\n');
        }

        return text.ToString();
    }

    private static void CheckUrl(string url, string parameter)
    {
        var filled = url ?? "";
        foreach (var variable in Variables)
        {
            filled = filled.Replace(variable, "x", StringComparison.Ordinal);
        }

        if (filled.Contains('$', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{url}' uses a dnf variable other than {string.Join(", ", Variables)}", parameter);
        }

        if (!Uri.TryCreate(filled, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || filled.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"'{url}' is not an absolute http(s) URL without spaces", parameter);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,100}$")]
    private static partial Regex RepoId();
}
