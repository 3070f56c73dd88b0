using Forgeline.Core.Client;
using Forgeline.Core.Projects;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary>How a batch looks in the terminal: its packages by level, and with --follow each change as it happens.</summary>
public static class BatchOutput
{
    /// <summary>Shows the batch; with <paramref name="follow"/>, polls it and prints each change until it finishes. Exit code 0 only if every package succeeded.</summary>
    public static async Task<int> ReportAsync(ForgelineClient client, BatchDto batch, bool follow, bool json, CancellationToken cancellationToken)
    {
        if (!follow)
        {
            if (json)
            {
                BuildOutput.Json(batch);
            }
            else
            {
                Show(batch);
            }

            return 0;
        }

        var seen = new Dictionary<long, string>();
        if (!json)
        {
            AnsiConsole.MarkupLine($"batch [bold]{batch.Id}[/] of {Markup.Escape(batch.Project)}: {batch.Entries.Count} package builds ({Markup.Escape(batch.Reason)})");
            foreach (var problem in batch.Problems)
            {
                AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(problem)}[/]");
            }
        }

        while (true)
        {
            foreach (var e in batch.Entries)
            {
                if (!json && (!seen.TryGetValue(e.Id, out var before) || before != e.State))
                {
                    var detail = e.BuildId is { } id ? $" build {id}" : "";
                    detail += e.Reason is { Length: > 0 } r ? $" — {r}" : "";
                    AnsiConsole.MarkupLine($"{DateTime.Now:HH:mm:ss} {Markup.Escape(e.Package)} [grey]{Markup.Escape(e.Chroot)}[/] {BuildOutput.StateMarkup(e.State)}{Markup.Escape(detail)}");
                }

                seen[e.Id] = e.State;
            }

            if (batch.State == "finished")
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            batch = await client.GetBatchAsync(batch.Project, batch.Id, cancellationToken);
        }

        if (json)
        {
            BuildOutput.Json(batch);
        }
        else
        {
            Show(batch);
        }

        return batch.Entries.All(e => e.State == "succeeded") ? 0 : 1;
    }

    /// <summary>A table of the batch's packages, by level.</summary>
    public static void Show(BatchDto batch)
    {
        var counts = batch.Entries.GroupBy(e => e.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}");
        AnsiConsole.MarkupLine($"batch [bold]{batch.Id}[/] of {Markup.Escape(batch.Project)} · {batch.State} · {Markup.Escape(string.Join(", ", counts))}");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Level", "Package", "Chroot", "State", "Build", "Waits for", "Why");
        foreach (var e in batch.Entries)
        {
            table.AddRow(e.Level.ToString(), Markup.Escape(e.Package), Markup.Escape(e.Chroot), BuildOutput.StateMarkup(e.State),
                e.BuildId?.ToString() ?? "-", Markup.Escape(string.Join(", ", e.WaitsFor)), Markup.Escape(e.Reason ?? ""));
        }

        AnsiConsole.Write(table);
    }
}
