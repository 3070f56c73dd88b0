using Forgeline.Projects.Dependencies;
using Forgeline.Core.Projects;
using Forgeline.Rpm;

namespace Forgeline.Projects.Tests.Dependencies;

/// <summary>Short-hand for graph tests: packages written as "name: requirement, requirement".</summary>
internal static class GraphCase
{
    /// <summary>
    /// A package named <paramref name="name"/> that provides <c>name = 1.0-1</c> plus <paramref name="provides"/> and
    /// build-requires <paramref name="requires"/> (comma-separated rpm dependencies).
    /// </summary>
    public static GraphPackage Package(string name, string requires = "", string provides = "", string? binaries = null) =>
        new(name, Split(requires), [new RpmCapability(name, "=", "1.0-1"), .. Split(provides)], [.. (binaries ?? name).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]);

    /// <summary>Packages from lines "a: b, c &gt;= 2" (requirements after the colon).</summary>
    public static List<GraphPackage> Packages(params string[] lines) =>
        [.. lines.Select(line => line.Split(':', 2)).Select(parts => Package(parts[0].Trim(), parts.Length > 1 ? parts[1] : ""))];

    /// <summary>The graph of <paramref name="lines"/> with nothing in the build environment.</summary>
    public static DependencyGraph Graph(params string[] lines) => DependencyGraph.Build(Packages(lines), Buildroot.Empty);

    private static List<RpmCapability> Split(string list)
    {
        // Commas separate entries except inside a rich dependency's parentheses.
        var result = new List<RpmCapability>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= list.Length; i++)
        {
            if (i == list.Length || (list[i] == ',' && depth == 0))
            {
                if (list[start..i].Trim() is { Length: > 0 } entry)
                {
                    result.Add(RpmCapability.Parse(entry));
                }

                start = i + 1;
            }
            else if (list[i] == '(')
            {
                depth++;
            }
            else if (list[i] == ')')
            {
                depth--;
            }
        }

        return result;
    }
}
