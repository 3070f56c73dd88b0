using System.CommandLine;
using System.Globalization;
using Forgeline.Core.Client;
using Forgeline.Core.Images;
using Forgeline.Images.Definitions;
using Forgeline.Images.Plans;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary>
/// <c>forgeline image set|build|test|list|runs|run</c> and <c>image plan set</c>: image CI. Definitions and plans are
/// YAML files of a project; <c>build</c> and <c>test</c> take the file (set first) or the name of one already set.
/// </summary>
public static class ImageCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("image", "Image CI: OS images built from the project's repositories, tested in virtual machines every night");
        command.Subcommands.Add(Set());
        command.Subcommands.Add(Build());
        command.Subcommands.Add(Test());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Runs());
        command.Subcommands.Add(ShowRun());
        var plan = new Command("plan", "Test plans: VM jobs with steps on the serial console, a schedule and triggers");
        plan.Subcommands.Add(SetPlan());
        command.Subcommands.Add(plan);
        return command;
    }

    private static Option<string> ProjectOption() => new("--project", "-p") { Description = "The project", Required = true };

    private static Command Set()
    {
        var file = new Argument<FileInfo>("file") { Description = "The image definition (YAML): repositories, packages, users, files, setup, formats, kernel" };
        var project = ProjectOption();
        var command = new Command("set", "Set (make or replace) an image definition of a project") { file, project };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var set = await SetDefinitionAsync(client, parse.GetValue(project)!, parse.GetValue(file)!, ct);
            Console.WriteLine($"image {set.Name} of project {set.Project} set");
            return 0;
        }));
        return command;
    }

    private static Command SetPlan()
    {
        var file = new Argument<FileInfo>("file") { Description = "The test plan (YAML): image, schedule, triggers, jobs with steps" };
        var project = ProjectOption();
        var command = new Command("set", "Set (make or replace) a test plan; prints the review bot's URL job for /test image (a new token each time)") { file, project };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var set = await SetPlanAsync(client, parse.GetValue(project)!, parse.GetValue(file)!, ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(set);
                return 0;
            }

            Console.WriteLine($"plan {set.Name} of project {set.Project} set; next scheduled run {set.NextRunAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never"}");
            Console.WriteLine($"review bot URL job (bot.yaml jobs: - name: image, url: …): {new Uri(client.Server, set.BotUrl ?? "")}");
            return 0;
        }));
        return command;
    }

    private static Command Build()
    {
        var definition = new Argument<string>("definition") { Description = "An image definition file (set first), or the name of one set before" };
        var project = ProjectOption();
        var command = new Command("build", "Build an image now: follows the build's log, then lists the signed files") { definition, project };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var name = parse.GetValue(definition)!;
            var projectName = parse.GetValue(project)!;
            if (File.Exists(name))
            {
                name = (await SetDefinitionAsync(client, projectName, new FileInfo(name), ct)).Name;
            }

            var json = parse.GetValue(ForgelineCommandLine.JsonOption);
            var build = await client.BuildImageAsync(projectName, name, ct);
            while (build.BuildId is null && build.State != "failed")
            {
                await Task.Delay(300, ct);
                build = await client.GetImageBuildAsync(build.Id, ct);
            }

            if (build.BuildId is { } farm)
            {
                await BuildOutput.FollowAsync(client, farm, json, ct);
            }

            // The files are signed after the farm build ends.
            while (build.State is "queued" or "building")
            {
                await Task.Delay(300, ct);
                build = await client.GetImageBuildAsync(build.Id, ct);
            }

            if (json)
            {
                BuildOutput.Json(build);
            }
            else
            {
                PrintBuild(build);
            }

            return build.State == "succeeded" ? 0 : 1;
        }));
        return command;
    }

    private static Command Test()
    {
        var plan = new Argument<string>("plan") { Description = "A test plan file (set first), or the name of one set before" };
        var project = ProjectOption();
        var command = new Command("test", "Run a test plan now: builds its image, runs its VM jobs, shows them live; exit code 0 when every job passed") { plan, project };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var name = parse.GetValue(plan)!;
            var projectName = parse.GetValue(project)!;
            if (File.Exists(name))
            {
                name = (await SetPlanAsync(client, projectName, new FileInfo(name), ct)).Name;
            }

            var run = await client.StartImageRunAsync(projectName, name, ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                while (run.FinishedAt is null)
                {
                    await Task.Delay(1000, ct);
                    run = await client.GetImageRunAsync(run.Id, ct);
                }

                BuildOutput.Json(run);
                return run.State == "passed" ? 0 : 1;
            }

            AnsiConsole.MarkupLine($"run [bold]{run.Id}[/] of plan {Markup.Escape(name)} started; {Markup.Escape(client.Server.ToString())}images/runs/{run.Id} shows it (Ctrl-C stops watching, not the run)");
            await AnsiConsole.Live(RunTable(run, null)).StartAsync(async live =>
            {
                while (run.FinishedAt is null)
                {
                    await Task.Delay(1000, ct);
                    run = await client.GetImageRunAsync(run.Id, ct);
                    var image = run.ImageBuildId is { } id ? await client.GetImageBuildAsync(id, ct) : null;
                    live.UpdateTarget(RunTable(run, image));
                }
            });
            AnsiConsole.MarkupLine($"run {run.Id}: {BuildOutput.StateMarkup(run.State)}{(run.Reason is { } r ? " — " + Markup.Escape(r) : "")}");
            return run.State == "passed" ? 0 : 1;
        }));
        return command;
    }

    private static Command List()
    {
        var project = ProjectOption();
        var command = new Command("list", "A project's image definitions, test plans and latest image builds") { project };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var name = parse.GetValue(project)!;
            var images = await client.ListImageFilesAsync(name, plans: false, ct);
            var plans = await client.ListImageFilesAsync(name, plans: true, ct);
            var builds = await client.ListImageBuildsAsync(name, 20, ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(new { images, plans, builds });
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Kind", "Name", "Updated", "By", "Next run / latest build");
            foreach (var image in images)
            {
                var latest = builds.FirstOrDefault(b => b.Image == image.Name);
                table.AddRow("image", Markup.Escape(image.Name), image.UpdatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(image.UpdatedBy),
                    latest is null ? "-" : $"#{latest.Id} {BuildOutput.StateMarkup(latest.State)}");
            }

            foreach (var plan in plans)
            {
                table.AddRow("plan", Markup.Escape(plan.Name), plan.UpdatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(plan.UpdatedBy),
                    plan.NextRunAt?.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "never");
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Runs()
    {
        var project = ProjectOption();
        var plan = new Option<string?>("--plan") { Description = "Only this plan's runs" };
        var command = new Command("runs", "A project's test runs, newest first") { project, plan };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var runs = await client.ListImageRunsAsync(parse.GetValue(project)!, parse.GetValue(plan), 20, ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(runs);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Run", "Plan", "Trigger", "State", "Jobs", "Started", "Reason");
            foreach (var run in runs)
            {
                table.AddRow(run.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(run.Plan), Markup.Escape(run.Trigger), BuildOutput.StateMarkup(run.State),
                    string.Join(" ", run.Jobs.Select(j => $"[{BuildOutput.StateColor(JobColorState(j.State))}]{Markup.Escape(j.Name)}[/]")),
                    run.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(run.Reason ?? ""));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command ShowRun()
    {
        var id = new Argument<long>("id") { Description = "The run ('forgeline image runs' lists them)" };
        var command = new Command("run", "One test run with its VM jobs") { id };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var run = await client.GetImageRunAsync(parse.GetValue(id), ct);
            if (parse.GetValue(ForgelineCommandLine.JsonOption))
            {
                BuildOutput.Json(run);
                return 0;
            }

            AnsiConsole.Write(RunTable(run, run.ImageBuildId is { } image ? await client.GetImageBuildAsync(image, ct) : null));
            return 0;
        }));
        return command;
    }

    private static Table RunTable(ImageRunDto run, ImageBuildDto? image)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"run {run.Id} · {Markup.Escape(run.Project)}/{Markup.Escape(run.Plan)} · {BuildOutput.StateMarkup(run.State)}")
            .AddColumns("Job", "Boots", "State", "Seconds", "Farm build", "Reason");
        table.AddRow("[grey]image[/]", Markup.Escape(image?.Image ?? "-"), BuildOutput.StateMarkup(image?.State ?? "queued"), "-",
            image?.BuildId?.ToString(CultureInfo.InvariantCulture) ?? "-", Markup.Escape(image?.Reason ?? ""));
        foreach (var job in run.Jobs)
        {
            table.AddRow(Markup.Escape(job.Name), Markup.Escape(job.Boot), $"[{BuildOutput.StateColor(JobColorState(job.State))}]{Markup.Escape(job.State)}[/]",
                job.Seconds?.ToString("F1", CultureInfo.InvariantCulture) ?? "-", job.BuildId?.ToString(CultureInfo.InvariantCulture) ?? "-", Markup.Escape(job.Reason ?? ""));
        }

        return table;
    }

    // Job states coloured as build states are.
    private static string JobColorState(string state) => state switch
    {
        "passed" => "succeeded",
        "skipped" => "canceled",
        _ => state,
    };

    private static void PrintBuild(ImageBuildDto build)
    {
        AnsiConsole.MarkupLine($"image build {build.Id} of {Markup.Escape(build.Project)}/{Markup.Escape(build.Image)}: {BuildOutput.StateMarkup(build.State)}{(build.Reason is { } r ? " — " + Markup.Escape(r) : "")}");
        if (build.Files.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("Format", "File", "Size", "sha256", "Signed");
        foreach (var file in build.Files)
        {
            table.AddRow(file.Format, Markup.Escape(file.Name), $"{file.Size / 1048576.0:F1} MiB", file.Sha256[..16] + "…", file.Signature is null ? "[red]no[/]" : "[green]yes[/]");
        }

        AnsiConsole.Write(table);
    }

    private static async Task<ImageFileDto> SetDefinitionAsync(ForgelineClient client, string project, FileInfo file, CancellationToken cancellationToken)
    {
        var yaml = await ReadAsync(file, cancellationToken);
        try
        {
            yaml = ImageDefinitionReader.InlineKeys(yaml, file.Name, file.DirectoryName ?? ".");
            return await client.SetImageFileAsync(project, ImageDefinitionReader.Read(yaml, file.Name).Name, yaml, plan: false, cancellationToken);
        }
        catch (ImageDefinitionException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static async Task<ImageFileDto> SetPlanAsync(ForgelineClient client, string project, FileInfo file, CancellationToken cancellationToken)
    {
        var yaml = await ReadAsync(file, cancellationToken);
        try
        {
            return await client.SetImageFileAsync(project, TestPlanReader.Read(yaml, file.Name).Name, yaml, plan: true, cancellationToken);
        }
        catch (TestPlanException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static async Task<string> ReadAsync(FileInfo file, CancellationToken cancellationToken) =>
        file.Exists ? await File.ReadAllTextAsync(file.FullName, cancellationToken) : throw new CliException($"{file.FullName}: no such file");
}
