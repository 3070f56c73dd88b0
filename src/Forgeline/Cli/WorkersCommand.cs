using System.CommandLine;
using Forgeline.Core.Workers;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline workers</c>: the farm's workers with their load and recent builds; drain, disable, enable.</summary>
public static class WorkersCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("workers", "List build workers; drain, disable or enable one");
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var workers = await client.ListWorkersAsync(ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(workers);
                return 0;
            }

            Show(workers);
            return 0;
        }));

        foreach (var (action, description) in new[]
        {
            ("drain", "Let a worker finish its running builds and give it no new ones (admin)"),
            ("disable", "Take a worker out now: its running builds go back to the queue (admin)"),
            ("enable", "Give a drained or disabled worker builds again (admin)"),
        })
        {
            var name = new Argument<string>("name") { Description = "Worker name" };
            var sub = new Command(action, description) { name };
            sub.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
            {
                var worker = await client.ApplyWorkerActionAsync(parse.GetValue(name)!, action, ct);
                Console.WriteLine($"{worker.Name}: {worker.State}");
                return 0;
            }));
            command.Subcommands.Add(sub);
        }

        return command;
    }

    private static void Show(IReadOnlyList<WorkerDto> workers)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Name", "State", "Arch", "Labels", "Load", "Current", "Recent builds", "Last seen");
        foreach (var w in workers)
        {
            var recent = string.Join(" ", (w.RecentBuilds ?? []).Select(b => $"[{BuildOutput.StateColor(b.State)}]{b.Id}[/]"));
            table.AddRow(
                Markup.Escape(w.Name), w.State, w.Arch, Markup.Escape(string.Join(",", [.. w.Labels ?? [], .. w.BuildRoots ? new[] { "(build roots)" } : []])),
                $"{w.CurrentBuilds.Count}/{w.Slots}", string.Join(", ", w.CurrentBuilds), recent, w.LastSeenAt.ToLocalTime().ToString("HH:mm:ss"));
        }

        AnsiConsole.Write(table);
    }
}
