using System.CommandLine;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline queue</c>: who waits, in which order, until when; <c>forgeline queue weight</c> sets an owner's share.</summary>
public static class QueueCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var owner = new Option<string?>("--owner") { Description = "Only this owner's builds (their positions stay those in the whole queue)" };
        var arch = new Option<string?>("--arch") { Description = "Only builds for this architecture" };
        var limit = new Option<int>("--limit") { Description = "Builds to show", DefaultValueFactory = _ => 30 };
        var command = new Command("queue", "Show the build queue: owners' shares, each build's position and estimated start") { owner, arch, limit };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var queue = await client.GetQueueAsync(parse.GetValue(owner), parse.GetValue(arch), parse.GetValue(limit), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(queue);
                return 0;
            }

            Show(queue);
            return 0;
        }));

        var name = new Argument<string>("owner") { Description = "The owner (a token's owner or name)" };
        var weight = new Argument<int>("weight") { Description = "Relative share of the worker slots; everyone has 1" };
        var setWeight = new Command("weight", "Set an owner's share of the worker slots (needs an admin token)") { name, weight };
        setWeight.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var set = await client.SetOwnerWeightAsync(parse.GetValue(name)!, parse.GetValue(weight), ct);
            Console.WriteLine($"{set.Name}: weight {set.Weight}");
            return 0;
        }));
        command.Subcommands.Add(setWeight);
        return command;
    }

    private static void Show(QueueDto queue)
    {
        var basis = queue.MeanBuildSeconds is { } mean
            ? $"{queue.Slots} slots online, builds take {DurationText.Format(TimeSpan.FromSeconds(mean))} on average"
            : $"{queue.Slots} slots online, no finished builds yet to estimate from";
        AnsiConsole.MarkupLine($"[bold]{queue.Total}[/] queued · {Markup.Escape(basis)}");
        if (queue.Owners.Count > 0)
        {
            var owners = new Table().Border(TableBorder.Rounded).AddColumns("Owner", "Weight", "Running", "Queued", "Next at");
            foreach (var o in queue.Owners)
            {
                owners.AddRow(Markup.Escape(o.Owner), o.Weight.ToString(), o.Running.ToString(), o.Queued.ToString(), o.NextPosition?.ToString() ?? "-");
            }

            AnsiConsole.Write(owners);
        }

        if (queue.Items.Count == 0)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "Build", "Owner", "Priority", "Arch", "Waiting", "Starts");
        foreach (var b in queue.Items)
        {
            var starts = b.EstimatedStart is { } at ? (at <= now ? "next free slot" : $"in ~{DurationText.Format(at - now)}") : "unknown";
            var arch = b.Labels.Count > 0 ? $"{b.Arch} [grey]({Markup.Escape(string.Join(",", b.Labels))})[/]" : b.Arch;
            table.AddRow(b.Position.ToString(), b.Id.ToString(), Markup.Escape(b.Owner), b.Priority.ToApiName(), arch, DurationText.Format(now - b.SubmittedAt), starts);
        }

        AnsiConsole.Write(table);
    }
}
