using Forgeline.Core.Projects;
using Spectre.Console;

namespace Forgeline.Cli;

/// <summary>How projects look in the terminal.</summary>
public static class ProjectOutput
{
    /// <summary>A table of projects.</summary>
    public static void List(IReadOnlyList<ProjectDto> projects, bool json)
    {
        if (json)
        {
            BuildOutput.Json(projects);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("Project", "Owner", "Chroots", "Packages in repos", "Visibility");
        foreach (var p in projects)
        {
            table.AddRow(Markup.Escape(p.Name), Markup.Escape(p.Owner), Markup.Escape(string.Join(" ", p.Chroots)),
                string.Join(" ", p.Repositories.Select(r => r.Packages)), p.IsPublic ? "public" : "private");
        }

        AnsiConsole.Write(table);
    }

    /// <summary>A project's settings, repositories and packages.</summary>
    public static void Show(ProjectDto p, IReadOnlyList<PackageDto> packages, bool json)
    {
        if (json)
        {
            BuildOutput.Json(new { project = p, packages });
            return;
        }

        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(p.Name)}[/] owned by {Markup.Escape(p.Owner)} · {(p.IsPublic ? "public" : "private")} · signed with key {Markup.Escape(p.SigningKey)}");
        if (p.Description is { Length: > 0 } d)
        {
            AnsiConsole.WriteLine(d);
        }

        AnsiConsole.MarkupLine($"dist tag {Markup.Escape(p.DistTag ?? "(none)")} · missing BuildRequires: {p.MissingDependencies} · keep {p.KeepBuilds} builds per package"
            + (p.RebuildDependents ? " · rebuilds dependents" : ""));
        Members(p);
        foreach (var r in p.Repositories)
        {
            var when = r.PublishedAt is { } at ? $"published {at.LocalDateTime:yyyy-MM-dd HH:mm:ss}" : "not published yet";
            AnsiConsole.MarkupLine($"repository [bold]{Markup.Escape(r.Chroot)}[/]: {r.Packages} RPMs, {when} · {Markup.Escape(r.Url)} · install: forgeline project repo {Markup.Escape(p.Name)} {Markup.Escape(r.Chroot)} > /etc/yum.repos.d/{Markup.Escape(p.Name)}.repo");
        }

        if (packages.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("Package", "Version", "Source", "Latest");
        foreach (var package in packages)
        {
            var latest = package.Latest.Count == 0 ? "never built"
                : string.Join("\n", package.Latest.Select(l => $"{Markup.Escape(l.Chroot)}: {BuildOutput.StateMarkup(l.State)}" + (l.BuildId is { } id ? $" (build {id})" : "")));
            table.AddRow(Markup.Escape(package.Name), Markup.Escape(package.Version ?? "?"), Markup.Escape(package.Source.Describe()), latest);
        }

        AnsiConsole.Write(table);
    }

    /// <summary>The members of a project.</summary>
    public static void Members(ProjectDto p) =>
        AnsiConsole.MarkupLine("members: " + (p.Members.Count == 0 ? "(only the owner)" : Markup.Escape(string.Join(", ", p.Members.Select(m => $"{m.Principal} ({m.Role})")))));
}
