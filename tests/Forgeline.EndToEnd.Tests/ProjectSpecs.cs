namespace Forgeline.EndToEnd.Tests;

/// <summary>Small noarch packages for project tests, with the BuildRequires and Requires a test needs.</summary>
internal static class ProjectSpecs
{
    /// <summary>
    /// Writes a package directory. <paramref name="buildScript"/> runs in %build; the package installs
    /// <c>/usr/share/NAME/NAME.txt</c> holding <paramref name="content"/> (or what %build left in <c>content.txt</c>).
    /// </summary>
    public static string Write(string parent, string name, string? buildRequires = null, string? requires = null, string buildScript = "echo building",
        string content = "hello", string release = "1%{?dist}")
    {
        var dir = Path.Combine(parent, name);
        Directory.CreateDirectory(dir);
        var lines = new List<string>
        {
            $"Name:           {name}",
            "Version:        1.0",
            $"Release:        {release}",
            $"Summary:        Project test package {name}",
            "License:        MIT",
            "BuildArch:      noarch",
        };
        if (buildRequires is not null)
        {
            lines.Add($"BuildRequires:  {buildRequires}");
        }

        if (requires is not null)
        {
            lines.Add($"Requires:       {requires}");
        }

        lines.AddRange(
        [
            "",
            "%description",
            $"Project test package {name}.",
            "",
            "%build",
            $"echo '{content}' > content.txt",
            buildScript,
            "",
            "%install",
            $"install -D -m 0644 content.txt %{{buildroot}}%{{_datadir}}/{name}/{name}.txt",
            "",
            "%files",
            $"%{{_datadir}}/{name}/{name}.txt",
        ]);
        File.WriteAllText(Path.Combine(dir, $"{name}.spec"), string.Join('\n', lines) + "\n");
        return dir;
    }
}
