using System.Text;

namespace Forgeline.Testing;

/// <summary>
/// Binary noarch RPMs made fast: one spec with a subpackage per name, built by one rpmbuild. Each package holds one small
/// text file and has no scriptlets, so it installs into an empty root without a shell.
/// </summary>
public static class NoarchRpms
{
    /// <summary>
    /// Builds packages <paramref name="names"/> at <paramref name="version"/> in <paramref name="directory"/>; a package
    /// named in <paramref name="requires"/> gets <c>Requires:</c> on its value. Returns the RPMs' paths, in the order of the names.
    /// </summary>
    public static async Task<IReadOnlyList<string>> BuildAsync(
        string directory, string specName, IReadOnlyList<string> names, string version = "1.0", IReadOnlyDictionary<string, string>? requires = null)
    {
        Directory.CreateDirectory(directory);
        var spec = new StringBuilder($"""
            Name:      {specName}
            Version:   {version}
            Release:   1
            Summary:   Forgeline test packages
            License:   MIT
            BuildArch: noarch

            %description
            Packages made by the Forgeline test suite.

            """);
        foreach (var name in names)
        {
            spec.Append($"%package -n {name}\nSummary: Test package {name}\n");
            if (requires is not null && requires.TryGetValue(name, out var required))
            {
                spec.Append($"Requires: {required}\n");
            }

            spec.Append($"%description -n {name}\nTest package {name} {version}.\n%files -n {name}\n/usr/share/forgeline-test/{name}.txt\n\n");
        }

        spec.Append("%install\nmkdir -p %{buildroot}/usr/share/forgeline-test\n");
        spec.Append($"for n in {string.Join(' ', names)}; do echo \"$n {version}\" > %{{buildroot}}/usr/share/forgeline-test/$n.txt; done\n");
        var specPath = Path.Combine(directory, $"{specName}-{version}.spec");
        await File.WriteAllTextAsync(specPath, spec.ToString());
        var top = Path.Combine(directory, $"top-{specName}-{version}");
        var (code, stdout, stderr) = await ProcessRunner.RunAsync("rpmbuild",
            ["-bb", "--nodeps", "--define", $"_topdir {top}", "--define", $"_rpmdir {directory}", "--define", "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm",
             "--define", "_buildhost forgeline-test", specPath], timeout: TimeSpan.FromMinutes(10));
        if (code != 0)
        {
            throw new InvalidOperationException($"rpmbuild of {specPath} exited {code}: {stdout}\n{stderr}");
        }

        Directory.Delete(top, recursive: true);
        return names.Select(n => Path.Combine(directory, $"{n}-{version}-1.noarch.rpm")).ToList();
    }

    /// <summary>Builds <paramref name="count"/> packages named <c>&lt;prefix&gt;1</c>… in one rpmbuild; returns their paths.</summary>
    public static Task<IReadOnlyList<string>> BuildManyAsync(string directory, string prefix, int count, string version = "1.0") =>
        BuildAsync(directory, $"{prefix}-set", Enumerable.Range(1, count).Select(i => $"{prefix}{i}").ToList(), version);
}
