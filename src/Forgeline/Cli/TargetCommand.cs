using System.CommandLine;
using Forgeline.Core.Targets;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline target create|list|show|delete</c>: the distributions' repositories builds get a clean root from.</summary>
public static class TargetCommand
{
    /// <summary>The command group.</summary>
    public static Command Create()
    {
        var command = new Command("target", "Build targets: a distribution's repositories, arch and base packages; builds for one run in a clean root installed from them");
        command.Subcommands.Add(CreateTarget());
        var list = new Command("list", "Build targets, by name");
        list.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var targets = await client.ListTargetsAsync(ct);
            if (Json(parse))
            {
                BuildOutput.Json(targets);
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumns("Target", "Arch", "Repositories", "Dist tag", "Source");
            foreach (var t in targets)
            {
                table.AddRow(Markup.Escape(t.Name), t.Arch, Markup.Escape(string.Join(" ", t.Repositories.Select(r => r.Id))), Markup.Escape(t.DistTag ?? "-"), t.Source);
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        command.Subcommands.Add(list);
        var showName = NameArgument();
        var show = new Command("show", "One build target") { showName };
        show.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            Print(parse, await client.GetTargetAsync(parse.GetValue(showName)!, ct));
            return 0;
        }));
        command.Subcommands.Add(show);
        var deleteName = NameArgument();
        var delete = new Command("delete", "Delete a build target no project builds for (admin)") { deleteName };
        delete.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await client.DeleteTargetAsync(parse.GetValue(deleteName)!, ct);
            Console.WriteLine($"target {parse.GetValue(deleteName)} deleted");
            return 0;
        }));
        command.Subcommands.Add(delete);
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The target's name, e.g. openEuler-24.03 or openeuler-24.03-x86_64" };

    private static Command CreateTarget()
    {
        var name = NameArgument();
        var arch = new Option<string>("--arch") { Description = $"The arch of its roots: {string.Join(", ", TargetRules.Arches)}", Required = true };
        var repos = new Option<string[]>("--repo") { Description = "A repository as ID=URL (http://, https:// or file://), in order (repeatable)", Required = true };
        var keys = new Option<string[]>("--gpgkey") { Description = "ID=FILE: the armored public key dnf checks that repository's packages with (repeatable)" };
        var signedMetadata = new Option<string[]>("--signed-metadata") { Description = "ID: that repository signs its repomd.xml too (repomd.xml.asc), checked with its --gpgkey (repeatable)" };
        var basePackages = new Option<string?>("--base-packages") { Description = "What every root holds before the BuildRequires, comma-separated (default @buildsys-build)" };
        var macros = new Option<FileInfo?>("--macros") { Description = "An rpm macro file: '%name value' lines, # comments" };
        var distTag = new Option<string?>("--dist-tag") { Description = "The %{dist} of its builds, e.g. .oe2403 (a project's own dist tag wins)" };
        var rpmDb = new Option<string?>("--rpmdb") { Description = "rpm's database inside the root (default /var/lib/rpm; Fedora: /usr/lib/sysimage/rpm)" };
        var releaseVersion = new Option<string?>("--releasever") { Description = "dnf's $releasever for the repository URLs (default 1)" };
        var command = new Command("create", "Make or replace a build target (admin)") { name, arch, repos, keys, signedMetadata, basePackages, macros, distTag, rpmDb, releaseVersion };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var request = new PutTargetRequest(
                parse.GetValue(arch)!,
                await RepositoriesAsync(parse.GetValue(repos) ?? [], parse.GetValue(keys) ?? [], parse.GetValue(signedMetadata) ?? [], ct),
                parse.GetValue(basePackages) is { } list ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null,
                parse.GetValue(macros) is { } file ? await MacrosAsync(file, ct) : null,
                parse.GetValue(distTag),
                parse.GetValue(rpmDb),
                parse.GetValue(releaseVersion));
            Print(parse, await client.PutTargetAsync(parse.GetValue(name)!, request, ct));
            return 0;
        }));
        return command;
    }

    /// <summary>Repositories from <c>--repo ID=URL</c>, <c>--gpgkey ID=FILE</c> and <c>--signed-metadata ID</c>; throws <see cref="CliException"/> naming the wrong option.</summary>
    internal static async Task<List<TargetRepository>> RepositoriesAsync(string[] repos, string[] keys, string[] signedMetadata, CancellationToken cancellationToken)
    {
        var signed = new HashSet<string>(signedMetadata, StringComparer.Ordinal);
        var keyFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var (id, file) = Pair(key, "--gpgkey", "ID=FILE, e.g. base=RPM-GPG-KEY-openEuler");
            keyFiles[id] = file;
        }

        var result = new List<TargetRepository>();
        foreach (var repo in repos)
        {
            var (id, url) = Pair(repo, "--repo", "ID=URL, e.g. base=https://repo.openeuler.org/openEuler-24.03-LTS/OS/x86_64/");
            string? armored = null;
            if (keyFiles.Remove(id, out var path))
            {
                armored = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : throw new CliException($"--gpgkey {id}: there is no file '{path}'");
            }

            result.Add(new TargetRepository(id, url, armored, signed.Remove(id)));
        }

        if (signed.Count > 0)
        {
            throw new CliException($"--signed-metadata names repository '{signed.First()}', which no --repo gives");
        }

        return keyFiles.Count == 0 ? result : throw new CliException($"--gpgkey names repository '{keyFiles.Keys.First()}', which no --repo gives");
    }

    private static (string, string) Pair(string text, string option, string form)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && equals < text.Length - 1 ? (text[..equals], text[(equals + 1)..]) : throw new CliException($"{option} '{text}' must be {form}");
    }

    private static async Task<Dictionary<string, string>> MacrosAsync(FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw new CliException($"--macros: there is no file '{file.FullName}'");
        }

        var parsed = RpmMacroFile.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken));
        return parsed.IsSuccess ? parsed.Value! : throw new CliException($"--macros {file.Name}: {parsed.Message}");
    }

    private static void Print(ParseResult parse, TargetDto t)
    {
        if (Json(parse))
        {
            BuildOutput.Json(t);
            return;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[grey]Target[/]", Markup.Escape(t.Name) + $" [grey]({t.Source})[/]");
        grid.AddRow("[grey]Arch[/]", t.Arch);
        foreach (var r in t.Repositories)
        {
            grid.AddRow($"[grey]Repo {Markup.Escape(r.Id)}[/]", Markup.Escape(r.Url) + (r.GpgKey is null ? " [yellow](no signature check)[/]" : r.SignedMetadata ? " [grey](packages and metadata signatures checked)[/]" : " [grey](package signatures checked)[/]"));
        }

        grid.AddRow("[grey]Base packages[/]", Markup.Escape(string.Join(" ", t.BasePackages)));
        grid.AddRow("[grey]Dist tag[/]", Markup.Escape(t.DistTag ?? "-"));
        if (t.Macros.Count > 0)
        {
            grid.AddRow("[grey]Macros[/]", Markup.Escape(string.Join("  ", t.Macros.Select(m => $"%{m.Key} {m.Value}"))));
        }

        grid.AddRow("[grey]rpmdb[/]", Markup.Escape(t.RpmDbPath));
        grid.AddRow("[grey]releasever[/]", Markup.Escape(t.ReleaseVersion));
        grid.AddRow("[grey]Digest[/]", t.Digest);
        AnsiConsole.Write(grid);
    }

    private static bool Json(ParseResult parse) => parse.GetValue(ForgelineCommandLine.JsonOption);
}
