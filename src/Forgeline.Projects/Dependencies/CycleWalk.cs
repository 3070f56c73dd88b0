namespace Forgeline.Projects.Dependencies;

/// <summary>
/// A readable closed walk through every member of a cycle: from the first member, to the nearest member not yet
/// shown, and so on, then back. A strongly connected component need not have one simple cycle through all members,
/// so the walk may pass a member twice (<c>a → b → a → c → a</c>), but every arrow is a real build requirement.
/// </summary>
internal static class CycleWalk
{
    /// <summary>The walk over node indices, starting and ending at the smallest member.</summary>
    public static List<int> Through(int[] members, int[][] successors)
    {
        var inCycle = members.ToHashSet();
        var start = members[0];
        var walk = new List<int> { start };
        var shown = new HashSet<int> { start };
        var current = start;
        while (shown.Count < members.Length)
        {
            var path = ShortestPath(current, node => !shown.Contains(node), inCycle, successors);
            walk.AddRange(path);
            shown.UnionWith(path);
            current = path[^1];
        }

        walk.AddRange(ShortestPath(current, node => node == start, inCycle, successors));
        return walk;
    }

    /// <summary>Breadth-first from <paramref name="from"/> (successors in index order, so the result is stable) to the first node that is a <paramref name="goal"/>; the path excludes <paramref name="from"/>.</summary>
    private static List<int> ShortestPath(int from, Func<int, bool> goal, HashSet<int> inCycle, int[][] successors)
    {
        var previous = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(from);
        var seen = new HashSet<int> { from };
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in successors[node])
            {
                if (!inCycle.Contains(next))
                {
                    continue;
                }

                if (goal(next))
                {
                    var path = new List<int> { next };
                    for (var back = node; back != from; back = previous[back])
                    {
                        path.Add(back);
                    }

                    path.Reverse();
                    return path;
                }

                if (seen.Add(next))
                {
                    previous[next] = node;
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException("the members of a strongly connected component must reach each other");
    }
}
