using System.Text;

namespace Forgeline.Bot.Commands;

/// <summary>
/// The Markdown table of commands that <c>/help</c> posts, the docs show and the API serves, generated from the
/// <see cref="CommandSpec"/> data so it never drifts from what the parser accepts.
/// </summary>
public static class CommandTable
{
    /// <summary>A table with one row per command (usage, what it does, who may use it), in the order given.</summary>
    public static string Markdown(IEnumerable<CommandSpec> commands)
    {
        var table = new StringBuilder();
        table.Append("| Command | What it does | Who may use it |\n");
        table.Append("| --- | --- | --- |\n");
        foreach (var command in commands)
        {
            table.Append($"| `{Cell(command.Usage).Replace("`", "", StringComparison.Ordinal)}` | {Cell(command.Description)} | {Cell(Who(command))} |\n");
        }

        return table.ToString();
    }

    /// <summary>Who may use <paramref name="command"/>, with who may cancel when that differs and the text does not say it.</summary>
    public static string Who(CommandSpec command) =>
        command is { Who: null, CancelAudience: { } cancel } && cancel != command.Audience
            ? $"{command.WhoText}; `cancel`: {command.CancelWhoText}"
            : command.WhoText;

    // A pipe would end the cell, a line break the row.
    private static string Cell(string text) => text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
}
