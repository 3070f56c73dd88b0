namespace Forgeline.Testing;

/// <summary>Real packages made with rpmbuild for tests: spec directories and source RPMs.</summary>
public static class TestPackages
{
    /// <summary>Writes a directory with a spec whose %build runs <paramref name="buildScript"/>; returns its path.</summary>
    public static string WriteSpecDirectory(string parent, string name, string version = "1.0", string buildScript = "echo building", string release = "1")
    {
        var dir = Path.Combine(parent, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, $"{name}.spec"), $"""
            Name:           {name}
            Version:        {version}
            Release:        {release}
            Summary:        Test package {name}
            License:        MIT
            Source0:        {name}.txt
            BuildArch:      noarch

            %description
            Test package {name}, made by the Forgeline test suite.

            %prep
            cp %{"{"}SOURCE0{"}"} .

            %build
            {buildScript}

            %install
            install -D -m 0644 {name}.txt %{"{"}buildroot{"}"}%{"{"}_datadir{"}"}/{name}/{name}.txt

            %files
            %{"{"}_datadir{"}"}/{name}/{name}.txt
            """);
        File.WriteAllText(Path.Combine(dir, $"{name}.txt"), $"{name} {version}\n");
        return dir;
    }

    /// <summary>Makes a source RPM of a generated package with rpmbuild -bs; returns its path.</summary>
    public static async Task<string> MakeSrpmAsync(string parent, string name, string version = "1.0", string buildScript = "echo building", string release = "1")
    {
        var dir = WriteSpecDirectory(Path.Combine(parent, "specs"), name, version, buildScript, release);
        var top = Path.Combine(parent, "rpmbuild-" + name);
        await ProcessRunner.RunCheckedAsync("rpmbuild", "-bs", "--nodeps", "--define", $"_topdir {top}", "--define", $"_sourcedir {dir}",
            "--define", $"_srcrpmdir {parent}", "--define", "_buildhost forgeline-test", Path.Combine(dir, $"{name}.spec"));
        return Path.Combine(parent, $"{name}-{version}-{release}.src.rpm");
    }
}
