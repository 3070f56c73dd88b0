using System.Diagnostics;
using Forgeline.Projects.Dependencies;
using Forgeline.Core.Projects;
using Xunit.Abstractions;
using Forgeline.Rpm;

namespace Forgeline.Projects.Tests.Dependencies;

/// <summary>
/// Graphs of distribution size: a 10,000-package chain and a 10,000-package cycle are as deep as a graph gets, and
/// would overflow a recursive search. Times are printed for information, never asserted (see TESTING.md).
/// </summary>
public sealed class LargeGraphTests(ITestOutputHelper output)
{
    private const int Count = 10_000;

    [Fact]
    public void A_chain_of_ten_thousand_packages_has_ten_thousand_levels()
    {
        var packages = Enumerable.Range(0, Count).Select(i => Package(i, i + 1 < Count ? [Name(i + 1)] : [])).ToList();

        var clock = Stopwatch.StartNew();
        var graph = DependencyGraph.Build(packages, Buildroot.Empty);
        output.WriteLine($"built a {Count}-package chain in {clock.ElapsedMilliseconds} ms");

        graph.Levels.Count.ShouldBe(Count);
        graph.Levels[0].ShouldBe([Name(Count - 1)]);
        graph.Levels[^1].ShouldBe([Name(0)]);
        graph.Cycles.ShouldBeEmpty();
        graph.WaitsFor(Name(0)).ShouldBe([Name(1)]);
        graph.DependentsOf(Name(Count - 1)).Count.ShouldBe(Count - 1);
        graph.DependentsOf(Name(Count - 1))[0].ShouldBe(Name(Count - 2));
        var chain = graph.CriticalPath(_ => TimeSpan.FromSeconds(1));
        chain.Duration.ShouldBe(TimeSpan.FromSeconds(Count));
        chain.Packages[0].ShouldBe(Name(Count - 1));
        graph.Subgraph(Enumerable.Range(0, Count).Where(i => i % 2 == 0).Select(Name)).Levels.Count.ShouldBe(1);
        output.WriteLine($"with queries: {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void A_cycle_of_ten_thousand_packages_is_one_cycle_described_in_full()
    {
        var packages = Enumerable.Range(0, Count).Select(i => Package(i, [Name((i + 1) % Count)])).ToList();

        var clock = Stopwatch.StartNew();
        var graph = DependencyGraph.Build(packages, Buildroot.Empty);
        output.WriteLine($"built a {Count}-package cycle in {clock.ElapsedMilliseconds} ms");

        var cycle = graph.Cycles.ShouldHaveSingleItem();
        cycle.Members.Count.ShouldBe(Count);
        cycle.Description.Split(" → ").Length.ShouldBe(Count + 1);
        cycle.Description.ShouldStartWith($"{Name(0)} → {Name(1)} → ");
        cycle.Description.ShouldEndWith($"{Name(Count - 1)} → {Name(0)}");
        graph.Levels.ShouldHaveSingleItem().Count.ShouldBe(Count);
        graph.WaitsFor(Name(5)).ShouldBeEmpty();
    }

    [Fact]
    public void A_wide_random_project_orders_every_package_after_what_it_waits_for()
    {
        var random = new Random(42);
        // Each package needs up to three packages with higher numbers, by name or by a versioned virtual provide.
        var packages = Enumerable.Range(0, Count).Select(i => new GraphPackage(Name(i),
            [.. Enumerable.Range(0, random.Next(4)).Select(_ => i + 1 + random.Next(Math.Max(1, Count - i - 1))).Where(d => d < Count).Distinct()
                .Select(d => d % 2 == 0 ? new RpmCapability(Name(d)) : new RpmCapability($"lib{d}-devel", ">=", "1.0"))],
            [new RpmCapability(Name(i), "=", "1.0-1"), new RpmCapability($"lib{i}-devel", "=", "1.2")],
            [Name(i)])).ToList();

        var clock = Stopwatch.StartNew();
        var graph = DependencyGraph.Build(packages, Buildroot.Empty);
        output.WriteLine($"built a {Count}-package random graph with {graph.Edges.Count} edges in {clock.ElapsedMilliseconds} ms; {graph.Levels.Count} levels");

        graph.Missing.ShouldBeEmpty();
        graph.Cycles.ShouldBeEmpty();
        var position = graph.BuildOrder.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        graph.Edges.ShouldAllBe(e => position[e.DependsOn] < position[e.Package]);
    }

    private static GraphPackage Package(int i, string[] requires) =>
        new(Name(i), [.. requires.Select(r => new RpmCapability(r))], [new RpmCapability(Name(i), "=", "1.0-1")], [Name(i)]);

    private static string Name(int i) => $"pkg{i:D5}";
}
