using System.CommandLine;
using Forgeline.Core.Client;
using Forgeline.Core.Projects;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary><c>forgeline project …</c>: projects, their members and packages, mass rebuilds and repository files.</summary>
public static class ProjectCommand
{
    private static readonly Argument<string> Name = new("project") { Description = "The project's name" };

    /// <summary>The command with its subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("project", "Projects: packages built together in dependency order and published as signed dnf repositories");
        command.Subcommands.Add(CreateCommand());
        command.Subcommands.Add(Simple("list", "Projects you can see", async (client, parse, ct) => ProjectOutput.List(await client.ListProjectsAsync(ct), Json(parse))));
        command.Subcommands.Add(WithName("show", "A project: settings, members, repositories and packages", async (client, name, parse, ct) =>
            ProjectOutput.Show(await client.GetProjectAsync(name, ct), await client.ListPackagesAsync(name, ct), Json(parse))));
        command.Subcommands.Add(EditCommand());
        command.Subcommands.Add(WithName("delete", "Delete a project, its packages and repositories", async (client, name, _, ct) =>
        {
            await client.DeleteProjectAsync(name, ct);
            Console.WriteLine($"project {name} deleted");
        }));
        command.Subcommands.Add(MemberCommand());
        command.Subcommands.Add(PackageCommand("add-package", "Add a package from a directory, an SRPM or a git repository", replace: false));
        command.Subcommands.Add(PackageCommand("edit-package", "Change where a package comes from", replace: true));
        command.Subcommands.Add(RemovePackageCommand());
        command.Subcommands.Add(RebuildCommand());
        command.Subcommands.Add(StatusCommand());
        command.Subcommands.Add(RepoCommand());
        return command;
    }

    private static Command CreateCommand()
    {
        var settings = new SettingsOptions();
        var command = new Command("create", "Create a project you own") { Name };
        settings.AddTo(command);
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var edit = settings.Read(parse);
            var project = await client.CreateProjectAsync(new CreateProjectRequest(parse.GetValue(Name)!, edit.Description, edit.Chroots, edit.DistTag, edit.Macros,
                edit.SigningKey, edit.IsPublic ?? true, edit.MissingDependencies, edit.RebuildDependents ?? false, edit.KeepBuilds, edit.Targets), ct);
            ProjectOutput.Show(project, [], Json(parse));
            return 0;
        }));
        return command;
    }

    private static Command EditCommand()
    {
        var settings = new SettingsOptions();
        var command = new Command("edit", "Change a project's settings (project admins)") { Name };
        command.Aliases.Add("set");
        settings.AddTo(command);
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            ProjectOutput.Show(await client.EditProjectAsync(parse.GetValue(Name)!, settings.Read(parse), ct), [], Json(parse));
            return 0;
        }));
        return command;
    }

    private static Command MemberCommand()
    {
        var principal = new Argument<string>("member") { Description = "A token's owner (or a token's name)" };
        var role = new Argument<string>("role") { Description = "admin (edit the project and its members) or builder (add packages, build)" };
        var add = new Command("add", "Add a member or change their role") { Name, principal, role };
        add.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            ProjectOutput.Members(await client.SetProjectMemberAsync(parse.GetValue(Name)!, parse.GetValue(principal)!, parse.GetValue(role)!, ct));
            return 0;
        }));
        var remove = new Command("remove", "Remove a member") { Name, principal };
        remove.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            ProjectOutput.Members(await client.RemoveProjectMemberAsync(parse.GetValue(Name)!, parse.GetValue(principal)!, ct));
            return 0;
        }));
        return new Command("member", "Who may work on a project") { add, remove };
    }

    private static Command PackageCommand(string verb, string description, bool replace)
    {
        var package = new Argument<string>("package") { Description = "The package's name in the project" };
        var source = new Argument<string>("source") { Description = "A directory with a spec file, a .src.rpm, or a git URL" };
        var gitRef = new Option<string?>("--ref") { Description = "Git branch, tag or commit (git sources)" };
        var spec = new Option<string?>("--spec") { Description = "Path of the spec file inside the directory or repository" };
        var auto = new Option<bool>("--auto-rebuild") { Description = "Rebuild when the forge reports a push (git sources; prints the webhook URL and secret)" };
        var command = new Command(verb, description) { Name, package, source, gitRef, spec, auto };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var buildSource = await BuildCommand.PrepareSourceAsync(client, parse.GetValue(source)!, parse.GetValue(gitRef), parse.GetValue(spec), ct);
            var added = await client.AddPackageAsync(parse.GetValue(Name)!, new AddPackageRequest(parse.GetValue(package)!, buildSource, parse.GetValue(auto)), replace, ct);
            if (Json(parse))
            {
                BuildOutput.Json(added);
                return 0;
            }

            var p = added.Package;
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(p.Name)}[/] {Markup.Escape(p.Version ?? "")}: makes {Markup.Escape(string.Join(", ", p.Provides))}");
            if (p.BuildRequires.Count > 0)
            {
                AnsiConsole.MarkupLine($"  BuildRequires: {Markup.Escape(string.Join(", ", p.BuildRequires))}");
            }

            if (p.WebhookUrl is { } url)
            {
                AnsiConsole.MarkupLine($"  webhook: {Markup.Escape(client.Server + url.TrimStart('/'))}");
                if (added.WebhookSecret is { } secret)
                {
                    AnsiConsole.MarkupLine($"  secret (shown once; set it as the webhook's secret at the forge): [bold]{secret}[/]");
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command RemovePackageCommand()
    {
        var package = new Argument<string>("package") { Description = "The package's name in the project" };
        var command = new Command("remove-package", "Remove a package; its RPMs leave the repositories") { Name, package };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await client.DeletePackageAsync(parse.GetValue(Name)!, parse.GetValue(package)!, ct);
            Console.WriteLine($"package {parse.GetValue(package)} removed from {parse.GetValue(Name)}");
            return 0;
        }));
        return command;
    }

    private static Command RebuildCommand()
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Show progress until every package is done" };
        var command = new Command("rebuild", "Rebuild every package of the project in dependency order (a mass rebuild)") { Name, follow };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var batch = await client.BuildProjectAsync(parse.GetValue(Name)!, null, ct);
            return await BatchOutput.ReportAsync(client, batch, parse.GetValue(follow), Json(parse), ct);
        }));
        return command;
    }

    private static Command StatusCommand()
    {
        var id = new Argument<long?>("batch") { Description = "A batch id (default: the latest)", Arity = ArgumentArity.ZeroOrOne };
        var follow = new Option<bool>("--follow", "-f") { Description = "Show progress until every package is done" };
        var command = new Command("status", "A batch: each package's state, what it waits for, why it is blocked") { Name, id, follow };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var name = parse.GetValue(Name)!;
            var batch = parse.GetValue(id) is { } wanted ? await client.GetBatchAsync(name, wanted, ct)
                : (await client.ListBatchesAsync(name, 1, ct)).FirstOrDefault() ?? throw new CliException($"project '{name}' has not built anything yet");
            return await BatchOutput.ReportAsync(client, batch, parse.GetValue(follow), Json(parse), ct);
        }));
        return command;
    }

    private static Command RepoCommand()
    {
        var chroot = new Argument<string?>("chroot") { Description = "The chroot (default: the project's first)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("repo", "Print the .repo file for /etc/yum.repos.d (gpgcheck and repo_gpgcheck on)") { Name, chroot };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            var name = parse.GetValue(Name)!;
            var which = parse.GetValue(chroot) ?? (await client.GetProjectAsync(name, ct)).Chroots[0];
            Console.Write(await client.GetRepoFileAsync(name, which, ct));
            return 0;
        }));
        return command;
    }

    private static Command Simple(string verb, string description, Func<ForgelineClient, ParseResult, CancellationToken, Task> action)
    {
        var command = new Command(verb, description);
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await action(client, parse, ct);
            return 0;
        }));
        return command;
    }

    private static Command WithName(string verb, string description, Func<ForgelineClient, string, ParseResult, CancellationToken, Task> action)
    {
        var command = new Command(verb, description) { Name };
        command.SetAction((parse, ct) => ForgelineCommandLine.RunClientAsync(parse, async client =>
        {
            await action(client, parse.GetValue(Name)!, parse, ct);
            return 0;
        }));
        return command;
    }

    private static bool Json(ParseResult parse) => parse.GetValue(ForgelineCommandLine.JsonOption);

    // The settings create and edit share; on edit only those given change.
    private sealed class SettingsOptions
    {
        private readonly Option<string?> description = new("--description") { Description = "One paragraph for people" };
        private readonly Option<string[]> chroots = new("--chroot") { Description = "distribution-version-arch to build for with the workers' own toolchain, e.g. openeuler-24.03-x86_64 (repeatable)" };
        private readonly Option<string[]> targets = new("--targets", "--target") { Description = "Build targets to build for in clean roots, comma-separated or repeated; they become the chroots ('forgeline target list')" };
        private readonly Option<string?> distTag = new("--dist-tag") { Description = "The %{dist} of every build, e.g. .oe2403" };
        private readonly Option<string[]> defines = new("--define", "-D") { Description = "An RPM macro for every build: 'NAME VALUE' (repeatable)" };
        private readonly Option<string?> key = new("--key") { Description = "An OpenPGP signing key (rpm + file) for packages and repomd.xml; one is made when omitted" };
        private readonly Option<bool?> isPublic = new("--public") { Description = "Visible to everyone (true) or to members only (false)" };
        private readonly Option<string?> missing = new("--missing-deps") { Description = "fail (default) or wait: what a build does when nothing provides a BuildRequires" };
        private readonly Option<bool?> dependents = new("--rebuild-dependents") { Description = "Rebuild packages that build-require a rebuilt one" };
        private readonly Option<int?> keep = new("--keep-builds") { Description = "Successful builds per package kept in the repositories (default 2)" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { description, chroots, targets, distTag, defines, key, isPublic, missing, dependents, keep })
            {
                command.Options.Add(option);
            }
        }

        public EditProjectRequest Read(ParseResult parse) => new(
            parse.GetValue(description),
            parse.GetValue(chroots) is { Length: > 0 } c ? c : null,
            parse.GetValue(distTag),
            BuildCommand.ParseDefines(parse.GetValue(defines)),
            parse.GetValue(key),
            parse.GetValue(isPublic),
            parse.GetValue(missing),
            parse.GetValue(dependents),
            parse.GetValue(keep),
            parse.GetValue(targets) is { Length: > 0 } t ? t.SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList() : null);
    }
}
