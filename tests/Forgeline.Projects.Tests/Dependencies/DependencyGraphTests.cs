using Forgeline.Projects.Dependencies;
using Forgeline.Core.Projects;
using Forgeline.Rpm;
using static Forgeline.Projects.Tests.Dependencies.GraphCase;

namespace Forgeline.Projects.Tests.Dependencies;

/// <summary>The shapes a project's build dependencies take: order, levels, cycles, waits and reverse dependencies.</summary>
public sealed class DependencyGraphTests
{
    /// <summary>(packages as "name: requirements", expected levels as "a b | c | d", expected cycles as descriptions joined by "; ").</summary>
    public static readonly TheoryData<string[], string, string> Shapes = new()
    {
        { ["a: b, c", "b: d", "c: d", "d"], "d | b c | a", "" },
        { ["a: b", "b: c", "c"], "c | b | a", "" },
        { ["a", "b", "c"], "a b c", "" },
        { ["a: b", "b: a", "c: a"], "a b | c", "a → b → a" },
        { ["a: b", "b: c", "c: a"], "a b c", "a → b → c → a" },
        { ["a: a"], "a", "a → a" },
        { ["a: b, c", "b: a", "c: a", "d: c"], "a b c | d", "a → b → a → c → a" },
        { ["a: b", "b: a", "c: d", "d: c", "e: a, c"], "a b c d | e", "a → b → a; c → d → c" },
        { ["z: y", "y: x", "x", "w: x, z"], "x | y | z | w", "" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Levels_and_cycles_follow_the_build_requirements(string[] packages, string levels, string cycles)
    {
        var graph = Graph(packages);

        string.Join(" | ", graph.Levels.Select(level => string.Join(' ', level))).ShouldBe(levels);
        string.Join("; ", graph.Cycles.Select(c => c.Description)).ShouldBe(cycles);
        graph.Missing.ShouldBeEmpty();
        graph.Conflicts.ShouldBeEmpty();
        // Every package comes after everything it waits for.
        var position = graph.BuildOrder.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);
        foreach (var package in graph.Packages)
        {
            graph.WaitsFor(package).ShouldAllBe(dependency => position[dependency] < position[package]);
        }
    }

    [Fact]
    public void A_diamond_waits_for_both_sides_and_its_base_is_needed_by_all()
    {
        var graph = Graph("a: b, c", "b: d", "c: d", "d");

        graph.WaitsFor("a").ShouldBe(["b", "c"]);
        graph.WaitsFor("d").ShouldBeEmpty();
        graph.DependentsOf("d").ShouldBe(["b", "c", "a"]);
        graph.DependentsOf("b").ShouldBe(["a"]);
        graph.DependentsOf("a").ShouldBeEmpty();
        graph.EdgesOf("b").ShouldBe([new DependencyEdge("b", "d", new RpmCapability("d"))]);
    }

    [Fact]
    public void Members_of_a_cycle_do_not_wait_for_each_other_but_for_what_is_outside()
    {
        var graph = Graph("a: b, x", "b: a, y", "x", "y", "c: a");

        graph.Cycles.ShouldHaveSingleItem().Members.ShouldBe(["a", "b"]);
        graph.WaitsFor("a").ShouldBe(["x"]);
        graph.WaitsFor("b").ShouldBe(["y"]);
        graph.DependenciesOf("a").ShouldBe(["b", "x"]);
        graph.WaitsFor("c").ShouldBe(["a"]);
        graph.CycleOf("b")!.Description.ShouldBe("a → b → a");
        graph.CycleOf("c").ShouldBeNull();
        graph.DependentsOf("a").ShouldBe(["b", "c"]);
        graph.DependentsOf("x").ShouldBe(["a", "b", "c"]);
    }

    [Fact]
    public void A_package_that_needs_what_it_provides_is_a_cycle_of_one_and_waits_for_nothing()
    {
        var graph = DependencyGraph.Build([Package("gcc", requires: "gcc-c++", provides: "gcc-c++ = 13", binaries: "gcc, gcc-c++")], Buildroot.Empty);

        var cycle = graph.Cycles.ShouldHaveSingleItem();
        cycle.Members.ShouldBe(["gcc"]);
        cycle.Description.ShouldBe("gcc → gcc");
        graph.WaitsFor("gcc").ShouldBeEmpty();
        graph.LevelOf("gcc").ShouldBe(0);
    }

    [Theory]
    [InlineData("1.5", false)]
    [InlineData("2", true)]
    [InlineData("2.0.1", true)]
    [InlineData("1:0.1", true)]
    public void A_versioned_requirement_is_met_only_by_a_recent_enough_provider(string provided, bool met)
    {
        var graph = DependencyGraph.Build([Package("app", requires: "libx-devel >= 2"), Package("libx", provides: $"libx-devel = {provided}")], Buildroot.Empty);

        if (met)
        {
            graph.WaitsFor("app").ShouldBe(["libx"]);
            graph.Missing.ShouldBeEmpty();
        }
        else
        {
            graph.WaitsFor("app").ShouldBeEmpty();
            graph.Missing.ShouldHaveSingleItem().Message.ShouldBe($"nothing provides libx-devel >= 2 needed by app (libx provides libx-devel = {provided}, which does not satisfy it)");
        }
    }

    [Fact]
    public void A_too_old_project_package_gives_way_to_a_recent_enough_build_environment()
    {
        var graph = DependencyGraph.Build([Package("app", requires: "libx-devel >= 2"), Package("libx", provides: "libx-devel = 1.5")],
            Buildroot.Of([RpmCapability.Parse("libx-devel = 3.0-1")]));

        graph.WaitsFor("app").ShouldBeEmpty();
        graph.Missing.ShouldBeEmpty();
    }

    [Fact]
    public void A_project_package_comes_before_the_build_environment()
    {
        var graph = DependencyGraph.Build([Package("app", requires: "make"), Package("make")], Buildroot.Of([new RpmCapability("make", "=", "4.3")]));

        graph.WaitsFor("app").ShouldBe(["make"]);
    }

    [Fact]
    public void What_nothing_provides_is_missing_in_dnfs_words()
    {
        var graph = Graph("app: gcc, libfoo-devel >= 1.2, make");

        graph.Missing.Select(m => m.Message).ShouldBe(["nothing provides gcc needed by app", "nothing provides libfoo-devel >= 1.2 needed by app", "nothing provides make needed by app"]);
        graph.Missing[1].Requirement.ShouldBe(new RpmCapability("libfoo-devel", ">=", "1.2"));
        graph.Missing[1].Package.ShouldBe("app");
    }

    [Fact]
    public void The_build_environment_and_rpm_itself_meet_what_they_provide()
    {
        var packages = Packages("app: gcc, make >= 4.0, rpmlib(RichDependencies) <= 4.12.0-1, /usr/bin/perl");

        DependencyGraph.Build(packages, Buildroot.Of([new RpmCapability("gcc"), new RpmCapability("make", "=", "4.3-1"), new RpmCapability("/usr/bin/perl")])).Missing.ShouldBeEmpty();
        DependencyGraph.Build(packages, Buildroot.Where(c => c.Name is "gcc" or "make" || c.IsFile)).Missing.ShouldBeEmpty();
        DependencyGraph.Build(packages, Buildroot.Anything).Missing.ShouldBeEmpty();
        DependencyGraph.Build(packages, Buildroot.Of([new RpmCapability("gcc"), new RpmCapability("make", "=", "3.8")])).Missing.Select(m => m.Requirement.Name).ShouldBe(["/usr/bin/perl", "make"]);
    }

    [Fact]
    public void A_file_requirement_waits_for_the_package_that_provides_the_file()
    {
        var graph = DependencyGraph.Build([Package("app", requires: "/usr/bin/mytool"), Package("tools", provides: "/usr/bin/mytool")], Buildroot.Empty);

        graph.WaitsFor("app").ShouldBe(["tools"]);
        Graph("app: /usr/bin/mytool").Missing.ShouldHaveSingleItem().Message.ShouldBe("nothing provides /usr/bin/mytool needed by app");
    }

    [Fact]
    public void A_requirement_two_packages_provide_is_an_ambiguity_naming_both()
    {
        var graph = DependencyGraph.Build([Package("site", requires: "webserver"), Package("nginx", provides: "webserver"), Package("httpd", provides: "webserver")], Buildroot.Empty);

        var conflict = graph.Conflicts.ShouldHaveSingleItem();
        conflict.Kind.ShouldBe(DependencyConflictKind.AmbiguousProvider);
        conflict.Packages.ShouldBe(["httpd", "nginx"]);
        conflict.RequiredBy.ShouldBe("site");
        conflict.Message.ShouldBe("httpd and nginx all provide webserver, needed by site; require something only one of them provides, or remove the others from the project");
        // Waiting for both is safe whichever the user meant.
        graph.WaitsFor("site").ShouldBe(["httpd", "nginx"]);
    }

    [Fact]
    public void Two_packages_producing_the_same_binary_package_conflict()
    {
        var graph = DependencyGraph.Build([Package("foo", binaries: "foo, foo-common"), Package("foo-ng", binaries: "foo-ng, foo-common"), Package("bar")], Buildroot.Empty);

        var conflict = graph.Conflicts.ShouldHaveSingleItem();
        conflict.Kind.ShouldBe(DependencyConflictKind.SameBinaryPackage);
        conflict.Subject.ShouldBe("foo-common");
        conflict.Message.ShouldBe("foo and foo-ng all produce the binary package 'foo-common'; rename it in all but one spec, or remove all but one of these packages from the project");
    }

    [Theory]
    [InlineData("(gcc or clang)", "", "")]
    [InlineData("(libfoo or libbar)", "libbar", "")]
    [InlineData("(libfoo or libbaz or libbar)", "libbaz", "")]
    [InlineData("(libbar and libbaz)", "libbar libbaz", "")]
    [InlineData("(gcc and (libfoo or libbaz >= 1.0))", "libbaz", "")]
    [InlineData("(libbaz >= 2 or libfoo)", "", "nothing provides (libbaz >= 2 or libfoo) needed by app")]
    [InlineData("(libbar and libfoo)", "", "nothing provides (libbar and libfoo) needed by app")]
    [InlineData("(libbar if gcc)", "", "cannot evaluate (libbar if gcc) needed by app: Forgeline evaluates only 'and' and 'or' in rich build requirements, not 'if'; write the requirement without it")]
    public void Rich_requirements_evaluate_and_and_or(string requirement, string waits, string missing)
    {
        var graph = DependencyGraph.Build([Package("app", requires: requirement), Package("libbar"), Package("libbaz")], Buildroot.Of([new RpmCapability("gcc")]));

        string.Join(' ', graph.WaitsFor("app")).ShouldBe(waits);
        string.Join("; ", graph.Missing.Select(m => m.Message)).ShouldBe(missing);
    }

    [Fact]
    public void The_critical_path_is_the_slowest_chain_and_counts_a_cycle_once()
    {
        var graph = Graph("a: b, c", "b: d", "c: d", "d", "x: y", "y: x");
        var minutes = new Dictionary<string, int> { ["a"] = 1, ["b"] = 10, ["c"] = 2, ["d"] = 3, ["x"] = 5, ["y"] = 6 };

        var chain = graph.CriticalPath(p => TimeSpan.FromMinutes(minutes[p]));

        chain.Duration.ShouldBe(TimeSpan.FromMinutes(14));
        chain.Packages.ShouldBe(["d", "b", "a"]);
        var cycle = Graph("x: y", "y: x").CriticalPath(p => TimeSpan.FromMinutes(minutes[p]));
        cycle.Duration.ShouldBe(TimeSpan.FromMinutes(6));
        cycle.Packages.ShouldBe(["y"]);
        Graph().CriticalPath(_ => TimeSpan.FromHours(1)).Duration.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void A_subgraph_orders_only_the_selected_packages_and_counts_the_others_as_built()
    {
        var graph = Graph("a: b, c", "b: d", "c: d", "d", "e: missing-thing");

        var some = graph.Subgraph(["a", "d", "b"]);

        some.Packages.ShouldBe(["a", "b", "d"]);
        some.WaitsFor("a").ShouldBe(["b"]);
        some.WaitsFor("b").ShouldBe(["d"]);
        some.Levels.Select(l => string.Join(' ', l)).ShouldBe(["d", "b", "a"]);
        some.Missing.ShouldBeEmpty();
        graph.Subgraph(["a", "d"]).WaitsFor("a").ShouldBeEmpty();
        graph.Subgraph(["e"]).Missing.ShouldHaveSingleItem().Package.ShouldBe("e");
        Should.Throw<ArgumentException>(() => graph.Subgraph(["a", "nope"])).Message.ShouldContain("package 'nope' is not in this project's dependency graph");
    }

    [Fact]
    public void The_same_project_in_any_input_order_gives_the_same_graph()
    {
        var lines = new[] { "a: b, c", "b: d, e", "c: d", "d: a", "e", "f: e", "g: webserver", "h", "i" };
        var reference = Describe(Graph(lines));

        for (var seed = 0; seed < 10; seed++)
        {
            var shuffled = lines.ToArray();
            new Random(seed).Shuffle(shuffled);
            Describe(Graph(shuffled)).ShouldBe(reference);
        }
    }

    [Fact]
    public void A_package_listed_twice_or_asked_about_but_absent_is_refused_by_name()
    {
        Should.Throw<ArgumentException>(() => Graph("a", "a")).Message.ShouldContain("package 'a' is listed twice");
        Should.Throw<ArgumentException>(() => Graph("a").WaitsFor("b")).Message.ShouldContain("package 'b' is not in this project's dependency graph");
    }

    private static string Describe(DependencyGraph graph) => string.Join("\n", [
        string.Join(" | ", graph.Levels.Select(l => string.Join(' ', l))),
        string.Join(";", graph.Edges.Select(e => $"{e.Package}>{e.DependsOn}:{e.Requirement}")),
        string.Join(";", graph.Cycles.Select(c => c.Description)),
        string.Join(";", graph.Missing.Select(m => m.Message)),
        string.Join(";", graph.Packages.Select(p => string.Join(',', graph.DependentsOf(p)))),
    ]);
}
