namespace Forgeline.Projects.Dependencies;

/// <summary>
/// The build-dependency graph of a project's packages: who waits for whom, what is missing or ambiguous, which
/// packages form cycles, and the layers a full rebuild goes through. Immutable; every list is in a stable order
/// (ordinal by package name, or by level then name), so the UI and tests see the same thing every time.
/// </summary>
public sealed class DependencyGraph
{
    private readonly string[] names;
    private readonly Dictionary<string, int> indexOf;
    private readonly int[][] dependencies;
    private readonly int[][] dependents;
    private readonly DependencyEdge[][] edgesOf;
    private readonly int[] componentOf;
    private readonly int[] levelOf;
    private readonly List<int[]> components;
    private readonly Dictionary<int, DependencyCycle> cycleOfComponent = [];

    private DependencyGraph(IEnumerable<string> packages, IEnumerable<DependencyEdge> edges, IEnumerable<MissingDependency> missing, IEnumerable<DependencyConflict> conflicts)
    {
        names = [.. packages.Order(StringComparer.Ordinal)];
        indexOf = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            if (!indexOf.TryAdd(names[i], i))
            {
                throw new ArgumentException($"package '{names[i]}' is listed twice; give each project package once", nameof(packages));
            }
        }

        var edgeList = edges.Distinct().OrderBy(e => e.Package, StringComparer.Ordinal).ThenBy(e => e.DependsOn, StringComparer.Ordinal)
            .ThenBy(e => e.Requirement.ToString(), StringComparer.Ordinal).ToList();
        Edges = edgeList;
        edgesOf = new DependencyEdge[names.Length][];
        var byPackage = edgeList.ToLookup(e => indexOf[e.Package]);
        for (var i = 0; i < names.Length; i++)
        {
            edgesOf[i] = [.. byPackage[i]];
        }

        dependencies = [.. edgesOf.Select(list => list.Select(e => indexOf[e.DependsOn]).Distinct().Order().ToArray())];
        var reverse = Enumerable.Range(0, names.Length).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < names.Length; i++)
        {
            foreach (var d in dependencies[i])
            {
                reverse[d].Add(i);
            }
        }

        dependents = [.. reverse.Select(list => list.ToArray())];
        Missing = [.. missing.OrderBy(m => m.Package, StringComparer.Ordinal).ThenBy(m => m.Requirement.ToString(), StringComparer.Ordinal)];
        Conflicts = [.. conflicts.Distinct().OrderBy(c => c.Kind).ThenBy(c => c.Subject, StringComparer.Ordinal).ThenBy(c => c.RequiredBy, StringComparer.Ordinal)];

        components = StronglyConnectedComponents.Find(dependencies);
        componentOf = new int[names.Length];
        var componentLevel = new int[components.Count];
        for (var c = 0; c < components.Count; c++)
        {
            foreach (var member in components[c])
            {
                componentOf[member] = c;
            }

            // Components come dependencies first, so every dependency's level is known here.
            componentLevel[c] = components[c].SelectMany(m => dependencies[m]).Select(d => componentOf[d]).Where(d => d != c).Select(d => componentLevel[d] + 1).DefaultIfEmpty(0).Max();
        }

        levelOf = [.. componentOf.Select(c => componentLevel[c])];
        Levels = [.. Enumerable.Range(0, names.Length).GroupBy(i => levelOf[i]).OrderBy(g => g.Key).Select(g => (IReadOnlyList<string>)[.. g.Select(i => names[i])])];
        BuildOrder = [.. Enumerable.Range(0, names.Length).OrderBy(i => levelOf[i]).ThenBy(i => i).Select(i => names[i])];

        for (var c = 0; c < components.Count; c++)
        {
            var members = components[c];
            if (members.Length > 1 || dependencies[members[0]].Contains(members[0]))
            {
                var walk = CycleWalk.Through(members, dependencies);
                cycleOfComponent[c] = new DependencyCycle([.. members.Select(m => names[m])], string.Join(" → ", walk.Select(m => names[m])));
            }
        }

        Cycles = [.. cycleOfComponent.Values.OrderBy(cycle => cycle.Members[0], StringComparer.Ordinal)];
    }

    /// <summary>Every package, in ordinal order.</summary>
    public IReadOnlyList<string> Packages => names;

    /// <summary>Every build requirement met by a project package, by package, provider, then requirement.</summary>
    public IReadOnlyList<DependencyEdge> Edges { get; }

    /// <summary>Requirements nothing provides (<c>nothing provides X needed by P</c>), or that cannot be evaluated.</summary>
    public IReadOnlyList<MissingDependency> Missing { get; }

    /// <summary>Binary package names produced twice and requirements provided by more than one package.</summary>
    public IReadOnlyList<DependencyConflict> Conflicts { get; }

    /// <summary>Packages that build-require each other, ordered by their first member.</summary>
    public IReadOnlyList<DependencyCycle> Cycles { get; }

    /// <summary>Layers of the build: level 0 needs no project package; a package is one level above its highest dependency outside its own cycle.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Levels { get; }

    /// <summary>Every package, level by level and ordinal within a level: an order in which each comes after what it waits for.</summary>
    public IReadOnlyList<string> BuildOrder { get; }

    /// <summary>
    /// Resolves every package's build requirements against the other packages' provides (version ranges as rpm
    /// compares them; project packages before the build environment) and builds the graph.
    /// </summary>
    public static DependencyGraph Build(IEnumerable<GraphPackage> packages, Buildroot buildroot)
    {
        var list = packages.ToList();
        var (edges, missing, conflicts) = DependencyResolver.Resolve(list, buildroot);
        return new DependencyGraph(list.Select(p => p.Package), edges, missing, conflicts);
    }

    /// <summary>The project packages <paramref name="package"/> build-requires, its own cycle's members included.</summary>
    public IReadOnlyList<string> DependenciesOf(string package) => [.. dependencies[Index(package)].Select(i => names[i])];

    /// <summary>Why <paramref name="package"/> depends on what it does: one edge per requirement and provider.</summary>
    public IReadOnlyList<DependencyEdge> EdgesOf(string package) => edgesOf[Index(package)];

    /// <summary>
    /// The packages whose builds <paramref name="package"/> waits for: its dependencies outside its own cycle. Members
    /// of a cycle do not wait for each other; each builds against the previous results of the others.
    /// </summary>
    public IReadOnlyList<string> WaitsFor(string package)
    {
        var i = Index(package);
        return [.. dependencies[i].Where(d => componentOf[d] != componentOf[i]).Select(d => names[d])];
    }

    /// <summary>The level of <paramref name="package"/> in <see cref="Levels"/>.</summary>
    public int LevelOf(string package) => levelOf[Index(package)];

    /// <summary>The cycle <paramref name="package"/> is in, or null.</summary>
    public DependencyCycle? CycleOf(string package) => cycleOfComponent.GetValueOrDefault(componentOf[Index(package)]);

    /// <summary>
    /// Every package that build-requires <paramref name="package"/>, directly or through others (not the package
    /// itself), in build order: what to rebuild after it changed.
    /// </summary>
    public IReadOnlyList<string> DependentsOf(string package)
    {
        var start = Index(package);
        var seen = new HashSet<int> { start };
        var queue = new Queue<int>([start]);
        while (queue.Count > 0)
        {
            foreach (var dependent in dependents[queue.Dequeue()])
            {
                if (seen.Add(dependent))
                {
                    queue.Enqueue(dependent);
                }
            }
        }

        seen.Remove(start);
        return [.. seen.OrderBy(i => levelOf[i]).ThenBy(i => i).Select(i => names[i])];
    }

    /// <summary>
    /// The longest chain of builds by <paramref name="duration"/>: the time a full rebuild takes at best, whatever the
    /// number of builders. A cycle counts once, as its slowest member (its members build side by side).
    /// </summary>
    public CriticalChain CriticalPath(Func<string, TimeSpan> duration)
    {
        var weight = new TimeSpan[components.Count];
        var slowest = new int[components.Count];
        var best = new TimeSpan[components.Count];
        var before = new int[components.Count];
        var end = -1;
        for (var c = 0; c < components.Count; c++)
        {
            slowest[c] = components[c].MaxBy(m => duration(names[m]));
            weight[c] = duration(names[slowest[c]]);
            before[c] = -1;
            foreach (var d in components[c].SelectMany(m => dependencies[m]).Select(d => componentOf[d]).Where(d => d != c).Distinct().Order())
            {
                if (before[c] < 0 || best[d] > best[before[c]])
                {
                    before[c] = d;
                }
            }

            best[c] = weight[c] + (before[c] >= 0 ? best[before[c]] : TimeSpan.Zero);
            if (end < 0 || best[c] > best[end])
            {
                end = c;
            }
        }

        if (end < 0)
        {
            return new CriticalChain(TimeSpan.Zero, []);
        }

        var chain = new List<string>();
        for (var c = end; c >= 0; c = before[c])
        {
            chain.Add(names[slowest[c]]);
        }

        chain.Reverse();
        return new CriticalChain(best[end], chain);
    }

    /// <summary>
    /// The graph among <paramref name="selected"/> only, as when these packages are submitted together: the other
    /// project packages count as already built, so requirements they meet are neither edges nor missing.
    /// </summary>
    public DependencyGraph Subgraph(IEnumerable<string> selected)
    {
        var keep = selected.Select(p => names[Index(p)]).ToHashSet(StringComparer.Ordinal);
        return new DependencyGraph(keep,
            Edges.Where(e => keep.Contains(e.Package) && keep.Contains(e.DependsOn)),
            Missing.Where(m => keep.Contains(m.Package)),
            Conflicts.Where(c => c.RequiredBy is { } by ? keep.Contains(by) : c.Packages.Any(keep.Contains)));
    }

    private int Index(string package) =>
        indexOf.TryGetValue(package, out var i) ? i : throw new ArgumentException($"package '{package}' is not in this project's dependency graph", nameof(package));
}
