using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Forgeline.Core;
using Forgeline.Core.Playground;
using Forgeline.Core.Workers;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline playground env create|list|show|delete</c>, <c>playground sessions</c>, <c>playground end</c>: shells in the browser.</summary>
public static class PlaygroundCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("playground", "The playground: environments people get a fresh shell of in the browser, and the sessions that run");
        var env = new Command("env", "Playground environments: an image (a root file system and/or packages, files, a setup script), a course and limits");
        env.Subcommands.Add(CreateEnvironment());
        var list = new Command("list", "Playground environments, by name");
        list.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var environments = await client.ListPlaygroundEnvironmentsAsync(ct);
            if (Json(parse))
            {
                BuildOutput.Json(environments);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Environment", "Title", "Image", "Who", "Limits");
            foreach (var e in environments)
            {
                table.AddRow(Markup.Escape(e.Name), Markup.Escape(e.Definition.Title ?? "-"), Markup.Escape(ImageText(e.Definition.Image)),
                    e.Definition.Anonymous ? "anyone" : "signed-in users", Markup.Escape(LimitsText(e.Definition.Limits ?? PlaygroundLimits.Default)));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        env.Subcommands.Add(list);
        var showName = NameArgument();
        var show = new Command("show", "One playground environment") { showName };
        show.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            Print(parse, await client.GetPlaygroundEnvironmentAsync(parse.GetValue(showName)!, ct));
            return 0;
        }));
        env.Subcommands.Add(show);
        var deleteName = NameArgument();
        var delete = new Command("delete", "Delete a playground environment (admin); running sessions go on until they end") { deleteName };
        delete.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await client.DeletePlaygroundEnvironmentAsync(parse.GetValue(deleteName)!, ct);
            Console.WriteLine($"environment {parse.GetValue(deleteName)} deleted");
            return 0;
        }));
        env.Subcommands.Add(delete);
        command.Subcommands.Add(env);

        var sessions = new Command("sessions", "Playground sessions: admins see everyone's with what each uses, others their own");
        sessions.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var all = await client.ListPlaygroundSessionsAsync(ct);
            if (Json(parse))
            {
                BuildOutput.Json(all);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Session", "Environment", "Owner", "State", "Host", "Started", "CPU s", "Memory MiB", "Processes");
            foreach (var s in all)
            {
                table.AddRow(s.Id, Markup.Escape(s.Environment), Markup.Escape(s.Owner), Markup.Escape(s.State + (s.QueuePosition is { } p ? $" #{p}" : s.EndReason is { } r ? $": {r}" : "")),
                    Markup.Escape(s.Host ?? "-"), s.StartedAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                    s.Usage is { } u ? u.CpuSeconds.ToString("F1", CultureInfo.InvariantCulture) : "-",
                    s.Usage is { } m ? (m.MemoryBytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) : "-",
                    s.Usage?.Processes.ToString(CultureInfo.InvariantCulture) ?? "-");
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        command.Subcommands.Add(sessions);
        var endId = new Argument<string>("id") { Description = "The session's id ('forgeline playground sessions' shows them)" };
        var end = new Command("end", "End a playground session (its owner or an admin): its processes and files are gone") { endId };
        end.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await client.EndPlaygroundSessionAsync(parse.GetValue(endId)!, ct);
            Console.WriteLine($"session {parse.GetValue(endId)} ended");
            return 0;
        }));
        command.Subcommands.Add(end);
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The environment's name, e.g. git-course" };

    private static Command CreateEnvironment()
    {
        var name = NameArgument();
        var file = new Option<FileInfo?>("--file") { Description = "The definition as JSON (title, welcome, course, image{rootfs, repositories, packages, files, setup}, limits, anonymous, homeMegabytes); the flags below change it" };
        var title = new Option<string?>("--title") { Description = "The title on the Playground page" };
        var welcome = new Option<string?>("--welcome") { Description = "Printed in the terminal before the first prompt" };
        var course = new Option<FileInfo?>("--course") { Description = "A course in Markdown, shown beside the terminal" };
        var rootfs = new Option<string?>("--rootfs") { Description = "A root file system on the playground hosts: a directory, or a .tar/.tar.gz/.tgz/.tar.xz archive (e.g. from debootstrap)" };
        var repos = new Option<string[]>("--repo") { Description = "A repository as ID=URL the packages come from, e.g. a Forgeline project's published repository (repeatable)" };
        var keys = new Option<string[]>("--gpgkey") { Description = "ID=FILE: the armored public key dnf checks that repository's packages with (repeatable)" };
        var packages = new Option<string[]>("--package") { Description = "Packages to install, comma-separated (repeatable)" };
        var copies = new Option<string[]>("--copy") { Description = "PATH=LOCALFILE: put the local file's content at PATH in the image (repeatable)" };
        var setup = new Option<FileInfo?>("--setup") { Description = "A shell script run once as root inside the image, without network" };
        var anonymous = new Option<bool?>("--anonymous") { Description = "Let people who are not signed in start sessions" };
        var network = new Option<string[]>("--network") { Description = "HOST:PORT a session may reach, e.g. the community's mirror repo.openeuler.org:443 (repeatable; default: no network)" };
        var home = new Option<int?>("--home-mb") { Description = "Signed-in users keep a home of at most this many MiB between sessions" };
        var cpu = new Option<int?>("--cpu-percent") { Description = "CPU per session, percent of one core (default 100)" };
        var memory = new Option<int?>("--memory-mb") { Description = "Memory per session, MiB (default 512)" };
        var processes = new Option<int?>("--processes") { Description = "Processes per session (default 256)" };
        var disk = new Option<int?>("--disk-mb") { Description = "Disk per session, MiB (default 256)" };
        var idle = new Option<int?>("--idle-minutes") { Description = "End a session nobody typed into for this long (default 15)" };
        var max = new Option<int?>("--max-minutes") { Description = "End every session after this long (default 60)" };
        var grace = new Option<int?>("--grace-seconds") { Description = "How long a session waits for its browser to come back (a reload) before it ends (default 30)" };
        var command = new Command("create", "Make or replace a playground environment (admin)")
        {
            name, file, title, welcome, course, rootfs, repos, keys, packages, copies, setup, anonymous, network, home, cpu, memory, processes, disk, idle, max, grace,
        };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var definition = parse.GetValue(file) is { } json ? await ReadDefinitionAsync(json, ct) : null;
            var image = definition?.Image ?? new PlaygroundImageDefinition();
            var givenRepos = parse.GetValue(repos) ?? [];
            if (givenRepos.Length > 0)
            {
                image = image with
                {
                    Repositories = (await TargetCommand.RepositoriesAsync(givenRepos, parse.GetValue(keys) ?? [], [], ct))
                        .Select(r => new JobRepository(r.Id, r.Url, r.GpgKey, SignedMetadata: false)).ToList(),
                };
            }

            if (parse.GetValue(packages) is { Length: > 0 } packageLists)
            {
                image = image with { Packages = packageLists.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList() };
            }

            if (parse.GetValue(copies) is { Length: > 0 } copyList)
            {
                var files = new Dictionary<string, string>(image.Files ?? new Dictionary<string, string>(), StringComparer.Ordinal);
                foreach (var copy in copyList)
                {
                    var equals = copy.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0 || equals == copy.Length - 1)
                    {
                        throw new CliException($"--copy '{copy}' must be PATH=LOCALFILE, e.g. /etc/motd=./motd");
                    }

                    files[copy[..equals]] = await ReadFileAsync("--copy", copy[(equals + 1)..], ct);
                }

                image = image with { Files = files };
            }

            image = image with
            {
                Rootfs = parse.GetValue(rootfs) ?? image.Rootfs,
                Setup = parse.GetValue(setup) is { } script ? await ReadFileAsync("--setup", script.FullName, ct) : image.Setup,
            };
            var limits = definition?.Limits ?? PlaygroundLimits.Default;
            limits = limits with
            {
                CpuPercent = parse.GetValue(cpu) ?? limits.CpuPercent,
                MemoryMegabytes = parse.GetValue(memory) ?? limits.MemoryMegabytes,
                Processes = parse.GetValue(processes) ?? limits.Processes,
                DiskMegabytes = parse.GetValue(disk) ?? limits.DiskMegabytes,
                IdleMinutes = parse.GetValue(idle) ?? limits.IdleMinutes,
                MaxMinutes = parse.GetValue(max) ?? limits.MaxMinutes,
                GraceSeconds = parse.GetValue(grace) ?? limits.GraceSeconds,
            };
            var result = new PlaygroundEnvironmentDefinition(
                parse.GetValue(title) ?? definition?.Title,
                parse.GetValue(welcome) ?? definition?.Welcome,
                parse.GetValue(course) is { } markdown ? await ReadFileAsync("--course", markdown.FullName, ct) : definition?.Course,
                image,
                limits,
                parse.GetValue(anonymous) ?? definition?.Anonymous ?? false,
                parse.GetValue(home) ?? definition?.HomeMegabytes,
                parse.GetValue(network) is { Length: > 0 } endpoints ? endpoints : definition?.Network);
            Print(parse, await client.PutPlaygroundEnvironmentAsync(parse.GetValue(name)!, result, ct));
            return 0;
        }));
        return command;
    }

    private static async Task<PlaygroundEnvironmentDefinition> ReadDefinitionAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var text = await ReadFileAsync("--file", file.FullName, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<PlaygroundEnvironmentDefinition>(text, ForgelineJson.Options)
                ?? throw new CliException($"--file {file.Name}: the definition is empty");
        }
        catch (JsonException e)
        {
            throw new CliException($"--file {file.Name}: not a valid environment definition: {e.Message}");
        }
    }

    private static async Task<string> ReadFileAsync(string option, string path, CancellationToken cancellationToken) =>
        File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : throw new CliException($"{option}: there is no file '{path}'");

    private static void Print(ParseResult parse, PlaygroundEnvironmentDto e)
    {
        if (Json(parse))
        {
            BuildOutput.Json(e);
            return;
        }

        var d = e.Definition;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[grey]Environment[/]", Markup.Escape(e.Name));
        grid.AddRow("[grey]Title[/]", Markup.Escape(d.Title ?? "-"));
        grid.AddRow("[grey]Image[/]", Markup.Escape(ImageText(d.Image)));
        foreach (var r in d.Image.Repositories ?? [])
        {
            grid.AddRow($"[grey]Repo {Markup.Escape(r.Id)}[/]", Markup.Escape(r.Url) + (r.GpgKey is null ? " [yellow](no signature check)[/]" : " [grey](package signatures checked)[/]"));
        }

        grid.AddRow("[grey]Who[/]", d.Anonymous ? "anyone, signed in or not" : "signed-in users");
        grid.AddRow("[grey]Limits[/]", Markup.Escape(LimitsText(d.Limits ?? PlaygroundLimits.Default)));
        grid.AddRow("[grey]Network[/]", d.Network is { Count: > 0 } allowed ? Markup.Escape(string.Join(" ", allowed)) : "none");
        grid.AddRow("[grey]Kept home[/]", d.HomeMegabytes is { } mb ? $"{mb} MiB" : "no");
        grid.AddRow("[grey]Course[/]", d.Course is { } c ? $"{c.Length} characters of Markdown" : "-");
        grid.AddRow("[grey]Image digest[/]", e.ImageDigest);
        AnsiConsole.Write(grid);
    }

    private static string ImageText(PlaygroundImageDefinition image)
    {
        var parts = new List<string>();
        if (image.Rootfs is { } rootfs)
        {
            parts.Add(rootfs);
        }

        if (image.Packages is { Count: > 0 } packages)
        {
            parts.Add($"+ {packages.Count} package(s)");
        }

        if (image.Files is { Count: > 0 } files)
        {
            parts.Add($"+ {files.Count} file(s)");
        }

        if (image.Setup is not null)
        {
            parts.Add("+ setup script");
        }

        return string.Join(" ", parts);
    }

    private static string LimitsText(PlaygroundLimits l) =>
        $"{l.CpuPercent}% CPU, {l.MemoryMegabytes} MiB memory, {l.Processes} processes, {l.DiskMegabytes} MiB disk, idle {l.IdleMinutes} min, at most {l.MaxMinutes} min, {l.GraceSeconds} s to come back";

    private static bool Json(ParseResult parse) => parse.GetValue(ForgelineCommandLine.JsonOption);
}
