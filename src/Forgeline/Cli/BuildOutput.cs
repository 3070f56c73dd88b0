using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary>How the CLI prints builds: tables for people, JSON for scripts.</summary>
public static class BuildOutput
{
    /// <summary>Writes a value as indented JSON on stdout.</summary>
    public static void Json<T>(T value) => Console.WriteLine(JsonSerializer.Serialize(value, ForgelineJson.Options));

    /// <summary>A table of builds.</summary>
    public static void Table(IEnumerable<BuildDto> builds)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("ID", "Package", "State", "Source", "Owner", "Submitted", "Duration", "Worker");
        foreach (var b in builds)
        {
            table.AddRow(b.Id.ToString(), Markup.Escape(b.Package ?? "-"), StateMarkup(b.State), Markup.Escape(b.Source.Describe()), Markup.Escape(b.Owner),
                b.SubmittedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss"), DurationText.Format(b.Duration), Markup.Escape(b.Worker ?? ""));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>One build with its artifacts.</summary>
    public static void Details(BuildDto b)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[grey]Build[/]", b.Id.ToString());
        grid.AddRow("[grey]State[/]", StateMarkup(b.State));
        grid.AddRow("[grey]Package[/]", Markup.Escape(b.Package ?? "-"));
        grid.AddRow("[grey]Source[/]", Markup.Escape(b.Source.Describe()));
        grid.AddRow("[grey]Arch[/]", Markup.Escape(b.Arch));
        grid.AddRow("[grey]Target[/]", Markup.Escape(BuildRootText.Target(b)));
        if (BuildRootText.Root(b) is { } root)
        {
            grid.AddRow("[grey]Root[/]", Markup.Escape(root));
            grid.AddRow("[grey]Times[/]", Markup.Escape(BuildRootText.Times(b)!));
        }

        if (BuildRootText.PackageList(b) is { } list)
        {
            grid.AddRow("[grey]Root packages[/]", Markup.Escape(list.Url));
        }

        grid.AddRow("[grey]Owner[/]", Markup.Escape(b.Owner));
        grid.AddRow("[grey]Priority[/]", b.Priority.ToApiName() + (b.Labels is { Count: > 0 } labels ? $"  [grey]labels[/] {Markup.Escape(string.Join(", ", labels))}" : ""));
        if (b.CachedFrom is { } cachedFrom)
        {
            grid.AddRow("[grey]Cached[/]", $"from build {cachedFrom} (same inputs and build environment; nothing was rebuilt)");
        }

        grid.AddRow("[grey]Worker[/]", Markup.Escape(b.Worker ?? "-") + (b.Attempt > 1 ? $" (attempt {b.Attempt})" : ""));
        grid.AddRow("[grey]Duration[/]", DurationText.Format(b.Duration));
        if (b.Reason is not null)
        {
            grid.AddRow("[grey]Reason[/]", Markup.Escape(b.Reason));
        }

        AnsiConsole.Write(grid);
        if (b.Artifacts.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Artifact", "Size", "sha256");
            foreach (var a in b.Artifacts)
            {
                table.AddRow(Markup.Escape(a.Name), $"{a.Size:N0}", a.Sha256);
            }

            AnsiConsole.Write(table);
        }
    }

    /// <summary>A build's history as a table.</summary>
    public static void History(IEnumerable<BuildEventDto> events)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("When", "Step", "State", "Worker", "Detail");
        foreach (var e in events)
        {
            table.AddRow(e.At.ToLocalTime().ToString("HH:mm:ss"), e.Kind, StateMarkup(e.State), Markup.Escape(e.Worker ?? "-"), Markup.Escape(e.Detail ?? ""));
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Streams a build's log until it ends, then prints the result; exit code 0 only when it succeeded.</summary>
    public static async Task<int> FollowAsync(ForgelineClient client, long id, bool json, CancellationToken cancellationToken)
    {
        if (!json)
        {
            await Console.Error.WriteLineAsync($"Build {id} submitted; following its log (Ctrl-C stops following, not the build)");
        }

        await using (var stdout = Console.OpenStandardOutput())
        {
            await client.StreamLogAsync(id, follow: true, json ? Stream.Null : stdout, cancellationToken);
        }

        var build = await client.GetBuildAsync(id, cancellationToken);
        // The log stream ends when the build is final; a reconnecting proxy could end it early, so wait for the state too.
        while (!build.StateValue.IsFinal())
        {
            await Task.Delay(500, cancellationToken);
            build = await client.GetBuildAsync(id, cancellationToken);
        }

        if (json)
        {
            Json(build);
        }
        else
        {
            AnsiConsole.WriteLine();
            Details(build);
        }

        return build.StateValue == BuildState.Succeeded ? 0 : 1;
    }

    /// <summary>The state coloured.</summary>
    public static string StateMarkup(string state) => $"[{StateColor(state)}]{Markup.Escape(state)}[/]";

    /// <summary>The colour a state is shown in.</summary>
    public static string StateColor(string state) => state switch
    {
        "succeeded" => "green",
        "failed" => "red",
        "blocked" => "darkorange",
        "running" or "building" or "publishing" => "blue",
        "queued" or "waiting" => "yellow",
        _ => "grey",
    };
}
