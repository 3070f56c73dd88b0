using System.Text.Json;
using Forgeline.Projects.Dependencies;
using Forgeline.Core.Projects;
using Forgeline.Data.Entities;
using Forgeline.Rpm;

namespace Forgeline.Projects;

/// <summary>
/// The dependency graph of a project's packages: BuildRequires from each spec, Provides from the RPM headers of the
/// package's latest build (or from its spec before its first build), and the worker's buildroot for the rest.
/// </summary>
public sealed class ProjectGraph
{
    private readonly DependencyGraph graph;
    private readonly ILookup<string, RpmCapability> missing;

    private ProjectGraph(DependencyGraph graph)
    {
        this.graph = graph;
        missing = graph.Missing.ToLookup(m => m.Package, m => m.Requirement, StringComparer.Ordinal);
    }

    /// <summary>Builds the graph of the packages whose specs were read.</summary>
    public static ProjectGraph Of(IEnumerable<ProjectPackageRecord> packages, IReadOnlyCollection<string> buildrootProvides)
    {
        var nodes = new List<GraphPackage>();
        foreach (var package in packages)
        {
            if (SpecFactsReader.Parse(package.Facts) is not { } facts)
            {
                continue;
            }

            var built = package.BuiltProvides is { } json ? JsonSerializer.Deserialize<List<string>>(json)!.Select(RpmCapability.Parse).ToList() : null;
            nodes.Add(new GraphPackage(package.Name, facts.BuildRequires, built ?? facts.AllProvides.ToList(), facts.Packages.Select(p => p.Name).ToList()));
        }

        var names = buildrootProvides.ToHashSet(StringComparer.Ordinal);
        // Workers build with their host's toolchain: the configured names, and any file path, come from there.
        return new ProjectGraph(DependencyGraph.Build(nodes, Buildroot.Where(c => c.IsFile || names.Contains(c.Name))));
    }

    /// <summary>Two packages making the same binary package, or a requirement two packages provide: the project cannot be ordered.</summary>
    public IReadOnlyList<DependencyConflict> Conflicts => graph.Conflicts;

    /// <summary>Dependency cycles, each broken by building its packages against each other's previous builds.</summary>
    public IReadOnlyList<DependencyCycle> Cycles => graph.Cycles;

    /// <summary>The project packages <paramref name="package"/> build-requires.</summary>
    public IReadOnlyList<string> DependsOn(string package) => graph.DependenciesOf(package);

    /// <summary>Those it must wait for: its dependencies outside its own cycle.</summary>
    public IReadOnlyList<string> WaitsFor(string package) => graph.WaitsFor(package);

    /// <summary>Its depth (0: needs no package of the project).</summary>
    public int LevelOf(string package) => graph.LevelOf(package);

    /// <summary>The packages that build-require it, directly or not.</summary>
    public IReadOnlyList<string> DependentsOf(string package) => graph.DependentsOf(package);

    /// <summary>Its requirements that nothing in the project nor the buildroot provides.</summary>
    public IReadOnlyList<RpmCapability> MissingOf(string package) => [.. missing[package]];
}
