using System.Text.RegularExpressions;

namespace Forgeline.Bot.Commands;

/// <summary>
/// Finds the commands in a comment. A command is a line that starts with <c>/name</c> (leading spaces allowed) outside
/// fenced (<c>```</c>, <c>~~~</c>) and indented code blocks, and not quoted (<c>&gt; /approve</c> in a reply is somebody
/// else's command, quoted). Names are matched case-insensitively against the declared commands; unknown names are ignored.
/// Several commands in one comment are all found, in order.
/// </summary>
public sealed partial class CommandParser(IEnumerable<CommandSpec> commands)
{
    private readonly Dictionary<string, CommandSpec> byName = commands.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The declared commands, by name.</summary>
    public IReadOnlyDictionary<string, CommandSpec> Commands => byName;

    /// <summary>The commands in <paramref name="body"/>, in order.</summary>
    public IReadOnlyList<CommandInvocation> Parse(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return [];
        }

        var found = new List<CommandInvocation>();
        string? fence = null;
        var previousBlank = true;
        foreach (var raw in body.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            var trimmed = line.TrimStart();
            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }

                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = trimmed[..3];
                continue;
            }

            // Four spaces or a tab after a blank line opens an indented code block (CommonMark).
            var indented = (line.StartsWith("    ", StringComparison.Ordinal) || line.StartsWith('\t')) && previousBlank;
            previousBlank = trimmed.Length == 0 || (indented && previousBlank);
            if (indented || trimmed.StartsWith('>'))
            {
                continue;
            }

            var match = CommandLine().Match(trimmed);
            if (!match.Success || !byName.TryGetValue(match.Groups["name"].Value, out var spec))
            {
                continue;
            }

            var arguments = match.Groups["args"].Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (spec.Arguments == CommandArguments.None && arguments.Length > 0)
            {
                continue;
            }

            found.Add(new CommandInvocation(spec, arguments, trimmed));
        }

        return found;
    }

    [GeneratedRegex(@"^/(?<name>[A-Za-z][A-Za-z0-9-]*)(?:[ \t]+(?<args>.*))?$")]
    private static partial Regex CommandLine();
}
