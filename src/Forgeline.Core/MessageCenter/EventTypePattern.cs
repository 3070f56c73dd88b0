namespace Forgeline.Core.MessageCenter;

/// <summary>
/// A subscription's type filter: a CloudEvent type where <c>*</c> stands for any run of characters, e.g.
/// <c>org.forgeline.build.*</c> or <c>*</c>. Matching is ordinal and case-sensitive, as CloudEvent types are.
/// </summary>
public static class EventTypePattern
{
    /// <summary>What a pattern may contain, for error messages.</summary>
    public const string Rule = "1 to 200 characters: letters, digits, '.', '-', '_' and '*' (any run of characters)";

    /// <summary>True when <paramref name="pattern"/> follows <see cref="Rule"/>.</summary>
    public static bool IsValid(string? pattern) =>
        pattern is { Length: > 0 and <= 200 } && pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '*');

    /// <summary>True when <paramref name="type"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string type) => Matches(pattern.AsSpan(), type.AsSpan());

    /// <summary>True when <paramref name="type"/> matches any of <paramref name="patterns"/>.</summary>
    public static bool MatchesAny(IEnumerable<string> patterns, string type) => patterns.Any(p => Matches(p, type));

    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Greedy wildcard matching with one backtrack point: linear for the patterns people write.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
