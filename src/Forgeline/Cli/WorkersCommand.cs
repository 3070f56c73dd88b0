using System.CommandLine;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline workers</c>: the farm's workers with state and current builds.</summary>
public static class WorkersCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("workers", "List build workers");
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var workers = await client.ListWorkersAsync(ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(workers);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Name", "State", "Arch", "Load", "Current builds", "Last seen");
            foreach (var w in workers)
            {
                table.AddRow(Markup.Escape(w.Name), w.State, w.Arch, $"{w.CurrentBuilds.Count}/{w.Slots}", string.Join(", ", w.CurrentBuilds), w.LastSeenAt.ToLocalTime().ToString("HH:mm:ss"));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
