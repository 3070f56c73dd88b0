using Forgeline.Core.Builds;

namespace Forgeline.Builds.Scheduling;

/// <summary>A queued build as the scheduler sees it.</summary>
/// <param name="Id">Build id; lower ids were submitted earlier.</param>
/// <param name="Owner">Who it belongs to; owners share the farm fairly.</param>
/// <param name="Priority">Order among the owner's own builds.</param>
/// <param name="Arch">Architecture it needs.</param>
/// <param name="Labels">Worker labels it needs, sorted and comma-separated; empty for none.</param>
/// <param name="SubmittedAt">When it was submitted; builds gain priority as they wait. Later ids are never submitted earlier (up to clock skew between replicas).</param>
/// <param name="NotBefore">It may not start before then (retry backoff).</param>
/// <param name="NeedsRoot">It builds for a target: only a worker that can build in a clean root may take it.</param>
public sealed record QueuedBuild(long Id, string Owner, BuildPriority Priority, string Arch, string Labels, DateTime SubmittedAt, DateTime? NotBefore = null, bool NeedsRoot = false)
{
    /// <summary>The lane it waits in: builds needing the same arch, labels and kind of root.</summary>
    internal string LaneKey => NeedsRoot ? Arch + "|" + Labels + "|root" : Arch + "|" + Labels;
}

/// <summary>What a worker asking for work can run.</summary>
/// <param name="Arch">Its architecture.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="BuildRoots">Whether it can build in a target's clean root.</param>
public sealed record WorkerOffer(string Arch, IReadOnlySet<string> Labels, bool BuildRoots = false)
{
    /// <summary>Whether the worker can run the builds of <paramref name="lane"/>: same arch, every label, a root when they need one.</summary>
    public bool CanRun(QueueState.Lane lane) => lane.Arch == Arch && (!lane.NeedsRoot || BuildRoots) && Covers(lane.Labels);

    /// <summary>Whether the worker can run builds needing <paramref name="labels"/> (sorted, comma-separated).</summary>
    public bool Covers(string[] labels)
    {
        // A loop, not labels.All(Labels.Contains): the scheduler asks this for every owner on every decision.
        foreach (var label in labels)
        {
            if (!Labels.Contains(label))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// The queue as the scheduler reasons about it: queued builds grouped by owner, then by what they need (arch and
/// labels), then by priority, each group ordered by id; plus each owner's running count, weight and when it was last
/// served. Plain data with no I/O and no clock: <see cref="FairScheduler"/> decides from it. Not thread-safe; the
/// <see cref="QueueBook"/> guards it.
/// </summary>
public sealed class QueueState
{
    private readonly Dictionary<long, QueuedBuild> builds = [];
    private readonly Dictionary<string, OwnerQueue> owners = new(StringComparer.Ordinal);
    private long serveCount;

    /// <summary>Queued builds.</summary>
    public int Count => builds.Count;

    /// <summary>Owners that have queued or running builds, or a weight.</summary>
    public IEnumerable<OwnerQueue> Owners => owners.Values;

    /// <summary>The queued build with this id, if any.</summary>
    public QueuedBuild? Find(long id) => builds.GetValueOrDefault(id);

    /// <summary>Every queued build, in no particular order.</summary>
    public IEnumerable<QueuedBuild> Builds => builds.Values;

    /// <summary>Adds a build, or replaces the entry with the same id.</summary>
    public void Add(QueuedBuild build)
    {
        Remove(build.Id);
        builds[build.Id] = build;
        Owner(build.Owner).Add(build);
    }

    /// <summary>Removes a build; false when it was not queued here.</summary>
    public bool Remove(long id)
    {
        if (!builds.Remove(id, out var build))
        {
            return false;
        }

        owners[build.Owner].Remove(build);
        return true;
    }

    /// <summary>Sets an owner's share; owners never set weigh 1.</summary>
    public void SetWeight(string owner, int weight) => Owner(owner).Weight = Math.Max(1, weight);

    /// <summary>Sets how many builds of <paramref name="owner"/> run now.</summary>
    public void SetRunning(string owner, int running) => Owner(owner).Running = Math.Max(0, running);

    /// <summary>Records that a build of <paramref name="owner"/> started: one more running, and served most recently.</summary>
    public void Started(string owner)
    {
        var queue = Owner(owner);
        queue.Running++;
        queue.LastServed = ++serveCount;
    }

    /// <summary>Records that a running build of <paramref name="owner"/> ended or went back to the queue.</summary>
    public void Ended(string owner)
    {
        if (owners.TryGetValue(owner, out var queue))
        {
            queue.Running = Math.Max(0, queue.Running - 1);
        }
    }

    /// <summary>Carries over when <paramref name="owner"/> was last served from an earlier state of the queue.</summary>
    public void Remember(string owner, long lastServed)
    {
        if (owners.TryGetValue(owner, out var queue))
        {
            queue.LastServed = lastServed;
        }

        serveCount = Math.Max(serveCount, lastServed);
    }

    /// <summary>The running count and weight of <paramref name="owner"/>.</summary>
    public (int Running, int Weight, int Queued) ShareOf(string owner) =>
        owners.TryGetValue(owner, out var q) ? (q.Running, q.Weight, q.Queued) : (0, 1, 0);

    private OwnerQueue Owner(string name)
    {
        if (!owners.TryGetValue(name, out var queue))
        {
            owners[name] = queue = new OwnerQueue(name);
        }

        return queue;
    }

    /// <summary>One owner's queued builds and share.</summary>
    public sealed class OwnerQueue(string name)
    {
        private readonly Dictionary<string, Lane> lanes = new(StringComparer.Ordinal);

        /// <summary>The owner.</summary>
        public string Name { get; } = name;

        /// <summary>Relative share of the farm.</summary>
        public int Weight { get; set; } = 1;

        /// <summary>Builds of this owner running now.</summary>
        public int Running { get; set; }

        /// <summary>Increases each time one of its builds starts; the least recently served owner goes first among equals.</summary>
        public long LastServed { get; set; }

        /// <summary>Its queued builds.</summary>
        public int Queued { get; private set; }

        /// <summary>Its builds grouped by what they need.</summary>
        public IEnumerable<Lane> Lanes => lanes.Values;

        internal void Add(QueuedBuild build)
        {
            var key = build.LaneKey;
            if (!lanes.TryGetValue(key, out var lane))
            {
                lanes[key] = lane = new Lane(build.Arch, StoredLabels.Split(build.Labels), build.NeedsRoot);
            }

            lane.Add(build);
            Queued++;
        }

        internal void Remove(QueuedBuild build)
        {
            var key = build.LaneKey;
            var lane = lanes[key];
            lane.Remove(build);
            Queued--;
            if (lane.IsEmpty)
            {
                lanes.Remove(key);
            }
        }
    }

    /// <summary>Builds of one owner that need the same arch and labels, by priority; a retried build waiting out its backoff is kept apart.</summary>
    public sealed class Lane(string arch, string[] labels, bool needsRoot = false)
    {
        private readonly SortedSet<long>[] ready = [new(), new(), new()];
        private readonly Dictionary<long, QueuedBuild> byId = [];

        /// <summary>The architecture.</summary>
        public string Arch { get; } = arch;

        /// <summary>The labels.</summary>
        public string[] Labels { get; } = labels;

        /// <summary>Whether its builds are for a target (a clean root).</summary>
        public bool NeedsRoot { get; } = needsRoot;

        /// <summary>Builds waiting out a retry backoff, in no particular order (there are few).</summary>
        public List<QueuedBuild> Delayed { get; } = [];

        /// <summary>Whether nothing is left.</summary>
        public bool IsEmpty => byId.Count == 0;

        /// <summary>The oldest build of <paramref name="priority"/> that has no backoff, if any.</summary>
        public QueuedBuild? Head(BuildPriority priority) =>
            ready[(int)priority] is { Count: > 0 } set ? byId[set.Min] : null;

        /// <summary>Builds of <paramref name="priority"/> without backoff, oldest first.</summary>
        public IEnumerable<QueuedBuild> Ready(BuildPriority priority) => ready[(int)priority].Select(id => byId[id]);

        internal void Add(QueuedBuild build)
        {
            byId[build.Id] = build;
            if (build.NotBefore is null)
            {
                ready[(int)build.Priority].Add(build.Id);
            }
            else
            {
                Delayed.Add(build);
            }
        }

        internal void Remove(QueuedBuild build)
        {
            byId.Remove(build.Id);
            if (!ready[(int)build.Priority].Remove(build.Id))
            {
                Delayed.RemoveAll(d => d.Id == build.Id);
            }
        }
    }
}
