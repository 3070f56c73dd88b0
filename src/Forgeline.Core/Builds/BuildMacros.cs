namespace Forgeline.Core.Builds;

/// <summary>The rule for RPM macros users define for builds and projects.</summary>
public static class BuildMacros
{
    /// <summary>Most macros one build or project may define.</summary>
    public const int MaxCount = 64;

    /// <summary>What is wrong with <paramref name="macros"/>, or null when rpm accepts them all.</summary>
    public static string? FindProblem(IReadOnlyDictionary<string, string> macros)
    {
        if (macros.Count > MaxCount)
        {
            return $"at most {MaxCount} macros may be defined";
        }

        foreach (var (name, value) in macros)
        {
            if (name.Length is 0 or > 64 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return $"'{name}' is not a macro name rpm accepts (letters, digits and _, not starting with a digit)";
            }

            if (value.Length > 4096 || value.Any(char.IsControl))
            {
                return $"the value of macro '{name}' must be one line of at most 4096 characters";
            }
        }

        return null;
    }
}
