using Forgeline.Core.Builds;

namespace Forgeline.Builds.Scheduling;

/// <summary>
/// Decides which queued build a worker gets. Pure: the answer depends only on the <see cref="QueueState"/>, the worker's
/// offer, the time and the aging step, so every rule is tested without a database or a clock.
/// <list type="number">
/// <item>Across owners, weighted fair share of the slots: the next build goes to the owner with the fewest running
/// builds per unit of weight (the continuous form of weighted deficit round robin, with one build as the quantum);
/// among equals, to the owner served least recently. A user with one build is never behind another user's mass
/// rebuild: it starts at the next free slot.</item>
/// <item>Within an owner, by priority, then oldest first. Priority ages: each <c>agingStep</c> a build waits raises it
/// one level, so a low-priority build cannot be starved by a stream of newer high-priority ones. Age counts from
/// submission, so a build queued again after a lost worker keeps its place.</item>
/// <item>Only builds the worker can run: same arch, and every label the build needs; a build waiting out a retry
/// backoff is not handed out before its time.</item>
/// </list>
/// </summary>
public static class FairScheduler
{
    // Fewest running builds per unit of weight first; then the owner served least recently; then by name, so ties are stable.
    private static readonly Comparer<(double Share, long Served, string Owner)> FairShareOrder = Comparer<(double Share, long Served, string Owner)>.Create(static (a, b) =>
        a.Share != b.Share ? a.Share.CompareTo(b.Share)
        : a.Served != b.Served ? a.Served.CompareTo(b.Served)
        : string.CompareOrdinal(a.Owner, b.Owner));

    /// <summary>The level a build competes at now: its priority, raised one level per <paramref name="agingStep"/> waited.</summary>
    public static int EffectiveLevel(QueuedBuild build, DateTime now, TimeSpan agingStep)
    {
        var waited = now - build.SubmittedAt;
        var raised = agingStep > TimeSpan.Zero && waited > TimeSpan.Zero ? (int)Math.Min(int.MaxValue, waited / agingStep) : 0;
        return Math.Max(0, (int)build.Priority - raised);
    }

    /// <summary>
    /// The builds <paramref name="worker"/> should try to claim, best first: the best build of each owner it can serve,
    /// owners in fair-share order. The first is the decision; the rest are fallbacks for when another scheduler
    /// replica claimed it first. At most <paramref name="count"/>.
    /// </summary>
    public static IReadOnlyList<QueuedBuild> Candidates(QueueState state, WorkerOffer worker, DateTime now, TimeSpan agingStep, int count = 1)
    {
        if (count <= 0)
        {
            return [];
        }

        // The best few owners so far, in fair-share order. An owner's place does not depend on its builds, so an owner
        // that cannot enter is passed over before its builds are looked at: one pass over the owners, no sort of them all.
        var best = new List<((double Share, long Served, string Owner) Key, QueuedBuild Build)>();
        foreach (var owner in state.Owners)
        {
            if (owner.Queued == 0)
            {
                continue;
            }

            var key = ((double)owner.Running / owner.Weight, owner.LastServed, owner.Name);
            if (best.Count == count && FairShareOrder.Compare(key, best[^1].Key) >= 0)
            {
                continue;
            }

            if (BestOf(owner, worker, now, agingStep) is not { } build)
            {
                continue;
            }

            var at = best.Count;
            while (at > 0 && FairShareOrder.Compare(key, best[at - 1].Key) < 0)
            {
                at--;
            }

            best.Insert(at, (key, build));
            if (best.Count > count)
            {
                best.RemoveAt(count);
            }
        }

        return best.ConvertAll(b => b.Build);
    }

    /// <summary>
    /// Plain first-in-first-out: the oldest build the worker can run, whoever owns it, whatever its priority. Not used
    /// by the farm (<see cref="BuildsOptions.Scheduler"/> <c>fifo</c> selects it); it is the baseline the fairness
    /// benchmark compares against.
    /// </summary>
    public static IReadOnlyList<QueuedBuild> FifoCandidates(QueueState state, WorkerOffer worker, DateTime now, int count = 1) =>
        state.Owners.Where(o => o.Queued > 0)
            .SelectMany(o => o.Lanes.Where(worker.CanRun))
            .SelectMany(l => new[] { l.Head(BuildPriority.High), l.Head(BuildPriority.Normal), l.Head(BuildPriority.Low) }.Concat(l.Delayed.Where(d => d.NotBefore <= now)))
            .OfType<QueuedBuild>()
            .OrderBy(b => b.Id).Take(count).ToList();

    /// <summary>The build <paramref name="worker"/> should get next, or null when it can run none of the queued builds.</summary>
    public static QueuedBuild? Pick(QueueState state, WorkerOffer worker, DateTime now, TimeSpan agingStep) =>
        Candidates(state, worker, now, agingStep) is [var first, ..] ? first : null;

    /// <summary>
    /// The order in which the queued builds would start if every slot freed at the same pace and nothing new came:
    /// the same fair-share rule played forward, counting each started build as running. Used for queue positions and
    /// estimated start times; worker labels are not modelled.
    /// </summary>
    public static IEnumerable<QueuedBuild> Plan(QueueState state, DateTime now, TimeSpan agingStep)
    {
        var heap = new PriorityQueue<PlannedOwner, (double Share, long Served, string Owner)>(FairShareOrder);
        foreach (var owner in state.Owners.Where(o => o.Queued > 0))
        {
            var order = owner.Lanes
                .SelectMany(l => l.Ready(BuildPriority.High).Concat(l.Ready(BuildPriority.Normal)).Concat(l.Ready(BuildPriority.Low)).Concat(l.Delayed))
                .OrderBy(b => EffectiveLevel(b, now, agingStep)).ThenBy(b => b.Id)
                .ToList();
            var planned = new PlannedOwner(owner.Name, owner.Weight, owner.Running, owner.LastServed, order);
            heap.Enqueue(planned, planned.Key);
        }

        var served = state.Owners.Select(o => o.LastServed).DefaultIfEmpty(0).Max();
        while (heap.TryDequeue(out var owner, out _))
        {
            yield return owner.Builds[owner.Next++];
            owner.Running++;
            owner.Served = ++served;
            if (owner.Next < owner.Builds.Count)
            {
                heap.Enqueue(owner, owner.Key);
            }
        }
    }

    private static QueuedBuild? BestOf(QueueState.OwnerQueue owner, WorkerOffer worker, DateTime now, TimeSpan agingStep)
    {
        QueuedBuild? best = null;
        var bestLevel = int.MaxValue;
        foreach (var lane in owner.Lanes)
        {
            if (!worker.CanRun(lane))
            {
                continue;
            }

            foreach (var priority in (ReadOnlySpan<BuildPriority>)[BuildPriority.High, BuildPriority.Normal, BuildPriority.Low])
            {
                if (lane.Head(priority) is { } head)
                {
                    Consider(head);
                }
            }

            foreach (var delayed in lane.Delayed)
            {
                if (delayed.NotBefore <= now)
                {
                    Consider(delayed);
                }
            }
        }

        return best;

        void Consider(QueuedBuild build)
        {
            var level = EffectiveLevel(build, now, agingStep);
            if (level < bestLevel || (level == bestLevel && build.Id < best!.Id))
            {
                (best, bestLevel) = (build, level);
            }
        }
    }

    private sealed class PlannedOwner(string name, int weight, int running, long served, List<QueuedBuild> builds)
    {
        public List<QueuedBuild> Builds { get; } = builds;

        public int Next { get; set; }

        public int Running { get; set; } = running;

        public long Served { get; set; } = served;

        public (double Share, long Served, string Owner) Key => ((double)Running / weight, Served, name);
    }
}
