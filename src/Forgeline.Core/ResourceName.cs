namespace Forgeline.Core;

/// <summary>The one rule for names users give things (tokens, keys): 1-64 ASCII letters, digits, '-', '_' or '.'.</summary>
public static class ResourceName
{
    /// <summary>The rule, in words, for error messages.</summary>
    public const string Rule = "1-64 letters, digits, '-', '_' or '.'";

    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
