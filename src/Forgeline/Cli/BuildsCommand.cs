using System.CommandLine;

namespace Forgeline.Cli;

/// <summary><c>forgeline builds list|show|log|cancel|download</c>.</summary>
public static class BuildsCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("builds", "List, inspect, cancel and download builds");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Log());
        command.Subcommands.Add(Cancel());
        command.Subcommands.Add(Download());
        return command;
    }

    private static Argument<long> IdArgument() => new("id") { Description = "Build id" };

    private static Command List()
    {
        var state = new Option<string?>("--state") { Description = "Only builds in this state (queued, running, succeeded, failed, canceled)" };
        var limit = new Option<int>("--limit", "-n") { Description = "How many", DefaultValueFactory = _ => 30 };
        var command = new Command("list", "List builds, newest first") { state, limit };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var page = await client.ListBuildsAsync(parse.GetValue(state), parse.GetValue(limit), null, ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(page.Items);
            }
            else
            {
                BuildOutput.Table(page.Items);
            }

            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = IdArgument();
        var history = new Option<bool>("--history") { Description = "Also show its history: queued, started, requeued, finished" };
        var command = new Command("show", "Show one build and its artifacts") { id, history };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var build = await client.GetBuildAsync(parse.GetValue(id), ct);
            var events = parse.GetValue(history) ? await client.GetBuildHistoryAsync(build.Id, ct) : null;
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json<object>(events is null ? build : new { build, history = events });
            }
            else
            {
                BuildOutput.Details(build);
                if (events is not null)
                {
                    BuildOutput.History(events);
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command Log()
    {
        var id = IdArgument();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming until the build ends" };
        var command = new Command("log", "Print a build's log") { id, follow };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await using var stdout = Console.OpenStandardOutput();
            await client.StreamLogAsync(parse.GetValue(id), parse.GetValue(follow), stdout, ct);
            return 0;
        }));
        return command;
    }

    private static Command Cancel()
    {
        var id = IdArgument();
        var command = new Command("cancel", "Cancel a queued or running build") { id };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var build = await client.CancelBuildAsync(parse.GetValue(id), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(build);
            }
            else
            {
                Console.WriteLine(build.State == "canceled" ? $"Build {build.Id} canceled." : $"Build {build.Id} is stopping; its worker learns of it within seconds.");
            }

            return 0;
        }));
        return command;
    }

    private static Command Download()
    {
        var id = IdArgument();
        var dir = new Option<string>("--dir", "-o") { Description = "Directory to write into", DefaultValueFactory = _ => "." };
        var command = new Command("download", "Download a build's artifacts, each checked against its sha256") { id, dir };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var build = await client.GetBuildAsync(parse.GetValue(id), ct);
            if (build.Artifacts.Count == 0)
            {
                throw new CliException($"build {build.Id} has no artifacts (state {build.State})");
            }

            var target = Directory.CreateDirectory(parse.GetValue(dir)!).FullName;
            foreach (var artifact in build.Artifacts)
            {
                var path = Path.Combine(target, Path.GetFileName(artifact.Name));
                await client.DownloadArtifactAsync(artifact, path, ct);
                Console.WriteLine($"{artifact.Sha256}  {path}");
            }

            return 0;
        }));
        return command;
    }
}
