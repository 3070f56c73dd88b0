using System.Globalization;

namespace Forgeline.Testing;

/// <summary>
/// Writes projects of many small packages whose build requirements form a layered DAG, for the mass-rebuild benchmark
/// and the dependency tests: noarch, no sources, an <c>%install</c> that writes one file, and optional CPU work in
/// <c>%build</c> so a build's length can be set without sleeping.
/// </summary>
public static class ProjectGenerator
{
    /// <summary>
    /// Writes <paramref name="packages"/> spec directories under <paramref name="dir"/> in <paramref name="depth"/>
    /// levels: every level has at least one package; each package above level 0 build-requires at least one package
    /// of the level just below (so the longest chain has exactly <paramref name="depth"/> packages), about a third
    /// require a second one there and about a third one further down. Requirements are by name or by the versioned
    /// virtual provide <c>NAME-api &gt;= 1.0</c> (each package provides <c>NAME-api = 1.5</c>).
    /// </summary>
    /// <param name="dir">Where the spec directories go (created).</param>
    /// <param name="packages">How many packages; at least <paramref name="depth"/>.</param>
    /// <param name="depth">How many levels.</param>
    /// <param name="seed">The same seed writes the same project.</param>
    /// <param name="busyWorkMegabytes">Megabytes of zeros <c>%build</c> hashes with sha256sum (roughly 2-5 ms each), 0 for none.</param>
    /// <param name="prefix">Start of every package name, so projects generated side by side do not collide.</param>
    public static GeneratedProject GenerateLayeredProject(string dir, int packages = 100, int depth = 5, int seed = 1, int busyWorkMegabytes = 0, string prefix = "gen")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(packages, depth);
        ArgumentOutOfRangeException.ThrowIfNegative(busyWorkMegabytes);
        var random = new Random(seed);
        var levels = Enumerable.Range(0, depth).Concat(Enumerable.Range(0, packages - depth).Select(_ => random.Next(depth))).Order().ToList();
        var names = levels.Select((level, i) => $"{prefix}-l{level}-{i:D4}").ToList();
        var byLevel = Enumerable.Range(0, depth).Select(level => names.Where((_, i) => levels[i] == level).ToList()).ToList();

        Directory.CreateDirectory(dir);
        var generated = new List<GeneratedPackage>();
        for (var i = 0; i < names.Count; i++)
        {
            var level = levels[i];
            var requires = new List<string>();
            if (level > 0)
            {
                var below = byLevel[level - 1];
                requires.Add(below[random.Next(below.Count)]);
                if (random.NextDouble() < 0.35)
                {
                    requires.Add(below[random.Next(below.Count)]);
                }

                if (level > 1 && random.NextDouble() < 0.35)
                {
                    var further = byLevel[random.Next(level - 1)];
                    requires.Add(further[random.Next(further.Count)]);
                }
            }

            requires = [.. requires.Distinct().Order(StringComparer.Ordinal)];
            var buildRequires = requires.Select(r => random.Next(2) == 0 ? r : $"{r}-api >= 1.0").ToList();
            var specDirectory = Path.Combine(dir, names[i]);
            Directory.CreateDirectory(specDirectory);
            File.WriteAllText(Path.Combine(specDirectory, $"{names[i]}.spec"), Spec(names[i], level, buildRequires, busyWorkMegabytes));
            generated.Add(new GeneratedPackage(names[i], level, specDirectory, requires, buildRequires));
        }

        return new GeneratedProject(dir, depth, generated);
    }

    private static string Spec(string name, int level, IReadOnlyList<string> buildRequires, int busyWorkMegabytes)
    {
        var requires = string.Concat(buildRequires.Select(r => $"BuildRequires:  {r}\n"));
        var work = busyWorkMegabytes > 0 ? $"head -c {busyWorkMegabytes.ToString(CultureInfo.InvariantCulture)}M /dev/zero | sha256sum" : "true";
        return $$"""
            Name:           {{name}}
            Version:        1.0
            Release:        1%{?dist}
            Summary:        Generated package {{name}} at level {{level}}
            License:        MIT
            BuildArch:      noarch
            Provides:       {{name}}-api = 1.5
            {{requires}}
            %description
            A generated package of a layered test project (level {{level}}).

            %build
            {{work}}

            %install
            mkdir -p %{buildroot}%{_datadir}/{{name}}
            echo {{name}} > %{buildroot}%{_datadir}/{{name}}/{{name}}.txt

            %files
            %{_datadir}/{{name}}/{{name}}.txt
            """;
    }
}
