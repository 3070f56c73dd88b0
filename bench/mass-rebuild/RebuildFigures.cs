using System.Globalization;
using Forgeline.Core.Builds;
using Forgeline.Core.Projects;
using Forgeline.Testing;

namespace Forgeline.MassRebuild;

/// <summary>What one mass rebuild's timestamps say: the wall time against the two-builder lower bound, and where the rest went.</summary>
internal sealed record RebuildFigures(
    TimeSpan Wall,
    TimeSpan CriticalPath,
    TimeSpan HalfTotal,
    IReadOnlyList<double> Durations,
    IReadOnlyList<double> EdgeLatencies,
    IReadOnlyList<double> BindingLatencies,
    IReadOnlyList<double> FinishToSubmit,
    IReadOnlyList<double> SubmitToStartWithIdleWorker,
    TimeSpan FirstStart,
    TimeSpan Tail,
    TimeSpan IdleWithReadyWork,
    TimeSpan IdleWithNothingReady)
{
    private const int Workers = 2;

    /// <summary>The best two builders could do: neither shorter than the longest chain nor than half of all the work.</summary>
    public TimeSpan LowerBound => CriticalPath > HalfTotal ? CriticalPath : HalfTotal;

    /// <summary>Wall time over the lower bound.</summary>
    public double Ratio => Wall / LowerBound;

    /// <summary>
    /// The figures of a finished batch. Latencies are in milliseconds: for every dependency edge, the dependent's start
    /// less the dependency's finish; the "binding" ones only for the dependency that finished last (the one the
    /// dependent really waited for), split into finish → the dependent's submission (the coordinator: sign, publish,
    /// submit) and submission → start when a worker was idle at submission (the queue and the lease long-poll).
    /// </summary>
    public static RebuildFigures Of(GeneratedProject project, BatchDto batch, IReadOnlyDictionary<string, BuildDto> builds)
    {
        DateTimeOffset Start(string name) => builds[name].StartedAt!.Value;
        DateTimeOffset Finish(string name) => builds[name].FinishedAt!.Value;
        TimeSpan Duration(string name) => Finish(name) - Start(name);
        var edges = new List<double>();
        var binding = new List<double>();
        var toSubmit = new List<double>();
        var idleStart = new List<double>();
        foreach (var package in project.Packages)
        {
            edges.AddRange(package.Requires.Select(r => (Start(package.Name) - Finish(r)).TotalMilliseconds));
            var build = builds[package.Name];
            if (package.Requires.Count > 0)
            {
                var last = package.Requires.MaxBy(Finish)!;
                binding.Add((Start(package.Name) - Finish(last)).TotalMilliseconds);
                toSubmit.Add((build.SubmittedAt - Finish(last)).TotalMilliseconds);
            }

            // Only when a worker was free for it (fewer builds running and queued ahead of it than workers) is the
            // wait the farm's dispatch and not a queue.
            var running = builds.Values.Count(b => b.StartedAt <= build.SubmittedAt && b.FinishedAt > build.SubmittedAt);
            var ahead = builds.Values.Count(b => b != build && b.SubmittedAt <= build.SubmittedAt && b.StartedAt > build.SubmittedAt);
            if (running + ahead < Workers)
            {
                idleStart.Add((Start(package.Name) - build.SubmittedAt).TotalMilliseconds);
            }
        }

        var (readyIdle, nothingIdle) = IdleTime(project, batch, builds);
        return new RebuildFigures(
            batch.FinishedAt!.Value - batch.CreatedAt,
            project.CriticalPath(Duration),
            TimeSpan.FromTicks(project.Packages.Sum(p => Duration(p.Name).Ticks) / Workers),
            [.. project.Packages.Select(p => Duration(p.Name).TotalSeconds)],
            edges,
            binding,
            toSubmit,
            idleStart,
            builds.Values.Min(b => b.StartedAt!.Value) - batch.CreatedAt,
            batch.FinishedAt!.Value - builds.Values.Max(b => b.FinishedAt!.Value),
            readyIdle,
            nothingIdle);
    }

    /// <summary>The nearest-rank percentile of <paramref name="values"/>.</summary>
    public static double Percentile(IReadOnlyList<double> values, int percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Prints where the wall time went, before the RESULT lines.</summary>
    public void Print()
    {
        static string Ms(IReadOnlyList<double> values) => string.Create(CultureInfo.InvariantCulture,
            $"p50 {Percentile(values, 50):0} ms, p95 {Percentile(values, 95):0} ms, max {Percentile(values, 100):0} ms (n={values.Count})");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  builds: {Durations.Average():0.00} s on average (min {Durations.Min():0.00}, max {Durations.Max():0.00}), {Durations.Sum():0.0} s in all"));
        Console.WriteLine($"  every edge, dependency finished -> dependent started: {Ms(EdgeLatencies)}");
        Console.WriteLine($"  last-finishing dependency -> dependent started: {Ms(BindingLatencies)}");
        Console.WriteLine($"    of which dependency finished -> dependent submitted (the coordinator: accept, sign, submit): {Ms(FinishToSubmit)}");
        Console.WriteLine($"  submitted -> started with a worker free for it (lease wake, claim): {Ms(SubmitToStartWithIdleWorker)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  batch created -> first build started {FirstStart.TotalMilliseconds:0} ms; last build finished -> batch finished (sign, publish) {Tail.TotalMilliseconds:0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  idle worker time: {IdleWithReadyWork.TotalSeconds:0.0} s while some package's dependencies had all finished, " +
            $"{IdleWithNothingReady.TotalSeconds:0.0} s while none was ready (of {2 * Wall.TotalSeconds:0.0} worker-s)"));
    }

    // Worker-time left unused between the batch's creation and finish, split by whether a package was ready (every
    // dependency's build finished, not yet started) at that moment: the first is the farm's, the second the graph's.
    private static (TimeSpan ReadyIdle, TimeSpan NothingIdle) IdleTime(GeneratedProject project, BatchDto batch, IReadOnlyDictionary<string, BuildDto> builds)
    {
        DateTimeOffset Ready(GeneratedPackage p) => p.Requires.Select(r => builds[r].FinishedAt!.Value).DefaultIfEmpty(batch.CreatedAt).Max();
        var points = builds.Values.SelectMany(b => new[] { b.StartedAt!.Value, b.FinishedAt!.Value })
            .Concat(project.Packages.Select(Ready)).Append(batch.CreatedAt).Append(batch.FinishedAt!.Value)
            .Where(t => t >= batch.CreatedAt && t <= batch.FinishedAt).Distinct().Order().ToList();
        var readyIdle = TimeSpan.Zero;
        var nothingIdle = TimeSpan.Zero;
        foreach (var (from, to) in points.Zip(points.Skip(1)))
        {
            var running = builds.Values.Count(b => b.StartedAt <= from && b.FinishedAt > from);
            var ready = project.Packages.Count(p => Ready(p) <= from && builds[p.Name].StartedAt > from);
            var idle = Math.Max(0, Workers - running);
            var withWork = Math.Min(idle, ready);
            readyIdle += (to - from) * withWork;
            nothingIdle += (to - from) * (idle - withWork);
        }

        return (readyIdle, nothingIdle);
    }
}
