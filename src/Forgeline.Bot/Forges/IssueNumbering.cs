namespace Forgeline.Bot.Forges;

/// <summary>
/// How one <c>int</c> names an issue or a pull request on forges that number them apart. GitHub numbers both in one
/// sequence, but GitLab has issue #5 and merge request !5 side by side, and Gitee names issues by strings such as
/// <c>I4CYEO</c>. Most <see cref="IForgeClient"/> calls take only a number, so on Gitee and GitLab the bot gives issues
/// negative numbers and pull requests their own (positive) ones; webhook parsers and clients both use this type so
/// the two never drift.
/// </summary>
public static class IssueNumbering
{
    // Gitee issue numbers are "I" and five base-36 digits (upper case). Six would not fit in an int.
    private const int GiteeDigits = 5;
    private const string Base36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>Whether <paramref name="number"/> names an issue (negative) rather than a pull request, on Gitee and GitLab.</summary>
    public static bool IsIssue(int number) => number < 0;

    /// <summary>The bot's number for GitLab issue <paramref name="iid"/>: its negation.</summary>
    public static int FromGitLabIssue(int iid) =>
        iid > 0 ? -iid : throw new ArgumentOutOfRangeException(nameof(iid), iid, "A GitLab issue iid is positive.");

    /// <summary>The GitLab issue iid the bot's (negative) <paramref name="number"/> stands for.</summary>
    public static int ToGitLabIssue(int number) =>
        number < 0 ? -number : throw new ArgumentOutOfRangeException(nameof(number), number, "Only negative numbers name GitLab issues.");

    /// <summary>
    /// The bot's number for Gitee issue <paramref name="issueNumber"/> (<c>I</c> and five upper-case letters or digits,
    /// as Gitee shows it); throws <see cref="FormatException"/> for any other shape, which the bot cannot address.
    /// </summary>
    public static int FromGiteeIssue(string issueNumber)
    {
        ArgumentNullException.ThrowIfNull(issueNumber);
        if (issueNumber.Length != GiteeDigits + 1 || issueNumber[0] != 'I')
        {
            throw new FormatException($"Gitee issue number '{issueNumber}' is not 'I' and {GiteeDigits} letters or digits; the bot can only address issues numbered that way.");
        }

        var value = 0;
        foreach (var c in issueNumber.AsSpan(1))
        {
            var digit = Base36.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                throw new FormatException($"Gitee issue number '{issueNumber}' holds '{c}', which is not an upper-case letter or a digit.");
            }

            value = (value * 36) + digit;
        }

        return -(value + 1);
    }

    /// <summary>The Gitee issue number (e.g. <c>I4CYEO</c>) the bot's (negative) <paramref name="number"/> stands for.</summary>
    public static string ToGiteeIssue(int number)
    {
        if (number >= 0 || -(long)number - 1 >= Pow36(GiteeDigits))
        {
            throw new ArgumentOutOfRangeException(nameof(number), number, "This number does not name a Gitee issue.");
        }

        var value = -number - 1;
        Span<char> digits = stackalloc char[GiteeDigits];
        for (var i = GiteeDigits - 1; i >= 0; i--)
        {
            digits[i] = Base36[value % 36];
            value /= 36;
        }

        return "I" + new string(digits);
    }

    private static long Pow36(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 36;
        }

        return result;
    }
}
