using System.Text.RegularExpressions;

namespace Forgeline.Worker;

/// <summary>
/// The RPM macros a build asks for, checked before they reach rpmbuild: the server validates them too, but a worker
/// trusts nothing it is handed.
/// </summary>
public static partial class RpmMacros
{
    /// <summary>Macros the worker sets itself for every build; a build may not move them.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "_topdir", "_tmppath", "_buildhost", "_sourcedir", "_specdir", "_srcrpmdir",
    };

    /// <summary>What is wrong with <paramref name="macros"/>, or null when rpmbuild may have them.</summary>
    public static string? FindProblem(IReadOnlyDictionary<string, string>? macros)
    {
        foreach (var (name, value) in macros ?? new Dictionary<string, string>())
        {
            if (!NamePattern().IsMatch(name))
            {
                return $"macro name '{Shorten(name)}' is not valid: use letters, digits and '_', not starting with a digit";
            }

            if (Reserved.Contains(name))
            {
                return $"macro '{name}' is set by the worker and cannot be defined by a build";
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                return $"macro '{name}' has an empty value; rpm refuses empty macro bodies";
            }

            if (value.Any(c => c is '\n' or '\r' or '\0'))
            {
                return $"macro '{name}' has a value of more than one line; rpm would silently cut it at the line end";
            }
        }

        return null;
    }

    /// <summary>The <c>--define "name value"</c> arguments for <paramref name="macros"/>, in name order.</summary>
    public static IReadOnlyList<string> Defines(IReadOnlyDictionary<string, string>? macros) =>
        (macros ?? new Dictionary<string, string>()).OrderBy(m => m.Key, StringComparer.Ordinal).SelectMany(m => new[] { "--define", $"{m.Key} {m.Value}" }).ToList();

    /// <summary>
    /// <see cref="Defines"/> of <paramref name="macros"/>, then the worker's own (<c>_topdir /build/rpmbuild</c>,
    /// <c>_tmppath /tmp</c>, <c>_buildhost</c>), which come last so a build cannot move them.
    /// </summary>
    public static IReadOnlyList<string> WithWorkerDefines(IReadOnlyDictionary<string, string>? macros) =>
        [.. Defines(macros), "--define", "_topdir /build/rpmbuild", "--define", "_tmppath /tmp", "--define", "_buildhost forgeline-build"];

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
