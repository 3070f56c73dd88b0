using Forgeline.Projects.Dependencies;
using Forgeline.Core.Projects;
using Forgeline.Testing;
using Forgeline.Worker.Sandbox;
using Forgeline.Worker.Specs;
using Xunit.Abstractions;

namespace Forgeline.Worker.Tests.Specs;

/// <summary>
/// The benchmark's generated projects, read back by rpmspec (through the sandboxed reader) and ordered by the
/// dependency graph: the graph finds exactly the layers and requirements the generator wrote.
/// </summary>
public sealed class GeneratedProjectTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory home = new("forgeline-generated");

    public void Dispose() => home.Dispose();

    [Theory]
    [InlineData(24, 5, 7)]
    [InlineData(12, 12, 3)]
    [InlineData(10, 1, 5)]
    public async Task Rpmspec_and_the_dependency_graph_find_the_requested_depth(int count, int depth, int seed)
    {
        var project = ProjectGenerator.GenerateLayeredProject(home["project"], count, depth, seed, prefix: $"gen{seed}");
        var reader = new SandboxSpecReader(new BubblewrapSandbox(), home.Path);

        var packages = new List<GraphPackage>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var package in project.Packages)
        {
            var facts = await reader.ReadAsync(SpecSources.Packed(package.SpecDirectory, new Dictionary<string, string> { ["dist"] = ".fl1" }), CancellationToken.None).WaitAsync(Sandboxed.Patience);
            facts.Release.ShouldBe("1.fl1");
            packages.Add(GraphPackage.FromSpec(facts.Name, facts));
        }

        output.WriteLine($"read {count} specs in the sandbox in {clock.ElapsedMilliseconds} ms ({clock.ElapsedMilliseconds / count} ms each)");
        var graph = DependencyGraph.Build(packages, Buildroot.Empty);

        graph.Missing.ShouldBeEmpty();
        graph.Conflicts.ShouldBeEmpty();
        graph.Cycles.ShouldBeEmpty();
        graph.Levels.Count.ShouldBe(depth);
        foreach (var package in project.Packages)
        {
            graph.LevelOf(package.Name).ShouldBe(package.Level, package.Name);
            graph.WaitsFor(package.Name).ShouldBe(package.Requires, package.Name);
        }

        TimeSpan Duration(string name) => TimeSpan.FromSeconds(1 + (name.GetHashCode(StringComparison.Ordinal) & 7));
        graph.CriticalPath(Duration).Duration.ShouldBe(project.CriticalPath(Duration));
        graph.CriticalPath(_ => TimeSpan.FromSeconds(1)).Packages.Count.ShouldBe(depth);
    }

    [Fact]
    public void The_generator_writes_every_level_and_links_each_package_to_the_level_below()
    {
        var project = ProjectGenerator.GenerateLayeredProject(home["shape"], packages: 200, depth: 6, seed: 11);

        project.Packages.Count.ShouldBe(200);
        project.Packages.Select(p => p.Level).Distinct().Order().ShouldBe([0, 1, 2, 3, 4, 5]);
        var levelOf = project.Packages.ToDictionary(p => p.Name, p => p.Level);
        foreach (var package in project.Packages.Where(p => p.Level > 0))
        {
            package.Requires.ShouldContain(r => levelOf[r] == package.Level - 1, package.Name);
            package.Requires.ShouldAllBe(r => levelOf[r] < package.Level);
        }

        project.Packages.ShouldContain(p => p.Requires.Count(r => levelOf[r] == p.Level - 1) > 1, "some need several packages of the level below");
        project.Packages.ShouldContain(p => p.Requires.Any(r => levelOf[r] < p.Level - 1), "some need packages further down");
        project.Packages.SelectMany(p => p.BuildRequires).ShouldContain(r => r.EndsWith("-api >= 1.0", StringComparison.Ordinal));
        project.CriticalPath(_ => TimeSpan.FromSeconds(1)).ShouldBe(TimeSpan.FromSeconds(6));
        // The same seed writes the same project.
        ProjectGenerator.GenerateLayeredProject(home["again"], packages: 200, depth: 6, seed: 11).Packages.Select(p => (p.Name, string.Join(',', p.BuildRequires)))
            .ShouldBe(project.Packages.Select(p => (p.Name, string.Join(',', p.BuildRequires))));
    }

    [Fact]
    public async Task A_generated_package_builds_with_rpmbuild_and_its_busy_work()
    {
        var project = ProjectGenerator.GenerateLayeredProject(home["build"], packages: 2, depth: 2, seed: 1, busyWorkMegabytes: 8);
        var top = project.Packages.Single(p => p.Level == 1);

        var built = await ProcessRunner.RunCheckedAsync("rpmbuild", "-bb", "--nodeps", "--define", $"_topdir {home["rpmbuild"]}", Path.Combine(top.SpecDirectory, $"{top.Name}.spec"));

        // The busy work ran: sha256 of 8 MiB of zeros.
        built.ShouldContain(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(new byte[8 * 1024 * 1024])));
        Directory.GetFiles(home["rpmbuild"], "*.noarch.rpm", SearchOption.AllDirectories).Select(Path.GetFileName).ShouldBe([$"{top.Name}-1.0-1.noarch.rpm"]);
    }
}
