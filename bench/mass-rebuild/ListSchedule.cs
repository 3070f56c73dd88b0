using Forgeline.Testing;

namespace Forgeline.MassRebuild;

/// <summary>
/// What two builders with no coordination latency at all would take for the same builds: a list schedule that starts,
/// whenever a builder is free, the ready package with the longest chain still ahead of it. Not optimal in general, but
/// achievable, unlike max(critical path, total / 2) when the two are close.
/// </summary>
internal static class ListSchedule
{
    /// <summary>The finish time of the last build when <paramref name="workers"/> builders run the project so.</summary>
    public static TimeSpan Makespan(GeneratedProject project, Func<string, TimeSpan> duration, int workers)
    {
        var dependents = project.Packages.ToDictionary(p => p.Name, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var package in project.Packages)
        {
            foreach (var requirement in package.Requires)
            {
                dependents[requirement].Add(package.Name);
            }
        }

        // The longest chain from a package to the end, the package included (highest level first, so dependents are known).
        var ahead = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var package in project.Packages.OrderByDescending(p => p.Level))
        {
            ahead[package.Name] = duration(package.Name) + dependents[package.Name].Select(d => ahead[d]).DefaultIfEmpty(TimeSpan.Zero).Max();
        }

        var waitingOn = project.Packages.ToDictionary(p => p.Name, p => p.Requires.Count, StringComparer.Ordinal);
        var ready = project.Packages.Where(p => p.Requires.Count == 0).Select(p => p.Name).ToList();
        var running = new List<(string Name, TimeSpan End)>();
        var now = TimeSpan.Zero;
        while (ready.Count > 0 || running.Count > 0)
        {
            while (running.Count < workers && ready.Count > 0)
            {
                var next = ready.MaxBy(n => ahead[n])!;
                ready.Remove(next);
                running.Add((next, now + duration(next)));
            }

            var done = running.MinBy(r => r.End);
            running.Remove(done);
            now = done.End;
            foreach (var dependent in dependents[done.Name])
            {
                if (--waitingOn[dependent] == 0)
                {
                    ready.Add(dependent);
                }
            }
        }

        return now;
    }
}
