namespace Forgeline.Core;

/// <summary>
/// The one rule for names users give things (tokens, keys, owners, projects, packages): 1-64 ASCII letters, digits,
/// '-', '_' or '.', starting with a letter or digit — so a name is also safe as one path segment ("..", ".x" are not names).
/// </summary>
public static class ResourceName
{
    /// <summary>The rule, in words, for error messages.</summary>
    public const string Rule = "1-64 letters, digits, '-', '_' or '.', starting with a letter or digit";

    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 64 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
