using Forgeline.Core.Builds;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Builds.Scheduling;

/// <summary>
/// This process's copy of the queue, so a scheduling decision costs microseconds instead of a scan of every queued
/// build. The database stays the truth: a decision is only a proposal that the claim (a conditional update, with
/// <c>SKIP LOCKED</c> on PostgreSQL) confirms; a stale entry fails its claim and is dropped. Changes made by this
/// process are applied at once; changes made by other replicas arrive by a cheap incremental read every second and a
/// full reload every <see cref="BuildsOptions.QueueReloadSeconds"/>.
/// </summary>
public sealed partial class QueueBook(IOptions<BuildsOptions> options, TimeProvider time, ILogger<QueueBook> logger) : IDisposable
{
    // Builds queued this long before the last incremental read are read again, for clock skew between replicas and
    // transactions that committed late.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan IncrementalEvery = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private readonly SemaphoreSlim reading = new(1, 1);
    private QueueState state = new();
    private DateTime? loadedAt;
    private DateTime readAt;

    private TimeSpan AgingStep => TimeSpan.FromSeconds(options.Value.AgingSeconds);

    /// <summary>Queued builds known here.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return state.Count;
            }
        }
    }

    /// <summary>Brings the book up to date with the database when due; a no-op most of the time.</summary>
    public async Task RefreshAsync(ForgelineDbContext db, CancellationToken cancellationToken, bool force = false)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var full = force || loadedAt is not { } loaded || now - loaded >= TimeSpan.FromSeconds(options.Value.QueueReloadSeconds);
        if (!full && now - readAt < IncrementalEvery)
        {
            return;
        }

        if (!await reading.WaitAsync(full && loadedAt is null ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, cancellationToken))
        {
            return; // another request is reading; its result serves this one too
        }

        try
        {
            if (full)
            {
                await LoadAsync(db, now, cancellationToken);
            }
            else
            {
                await ReadChangesAsync(db, now, cancellationToken);
            }
        }
        finally
        {
            reading.Release();
        }
    }

    /// <summary>The builds a worker should try to claim, best first (see <see cref="FairScheduler.Candidates"/>).</summary>
    public IReadOnlyList<QueuedBuild> Candidates(WorkerOffer worker, int count)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (gate)
        {
            return options.Value.Scheduler == "fifo"
                ? FairScheduler.FifoCandidates(state, worker, now, count)
                : FairScheduler.Candidates(state, worker, now, AgingStep, count);
        }
    }

    /// <summary>
    /// The queue in planned start order: the entries matching <paramref name="filter"/> (at most <paramref name="limit"/>)
    /// with 1-based positions, the total, and the position of each owner's next build.
    /// </summary>
    public QueuePlan Plan(Func<QueuedBuild, bool> filter, int limit)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (gate)
        {
            var items = new List<(QueuedBuild, int)>();
            var firsts = new Dictionary<string, int>(StringComparer.Ordinal);
            var position = 0;
            foreach (var build in FairScheduler.Plan(state, now, AgingStep))
            {
                position++;
                firsts.TryAdd(build.Owner, position);
                if (items.Count < limit && filter(build))
                {
                    items.Add((build, position));
                }
            }

            var owners = state.Owners.Where(o => o.Queued > 0 || o.Running > 0)
                .Select(o => (o.Name, o.Running, o.Weight, o.Queued, firsts.TryGetValue(o.Name, out var p) ? p : (int?)null)).ToList();
            return new QueuePlan(items, state.Count, owners);
        }
    }

    /// <summary>A build entered the queue (submitted, or queued again).</summary>
    public void Queued(QueuedBuild build)
    {
        lock (gate)
        {
            state.Add(build);
        }
    }

    /// <summary>This process claimed a build.</summary>
    public void Started(long id, string owner)
    {
        lock (gate)
        {
            state.Remove(id);
            state.Started(owner);
        }
    }

    /// <summary>A running build of <paramref name="owner"/> ended or went back to the queue.</summary>
    public void Ended(string owner)
    {
        lock (gate)
        {
            state.Ended(owner);
        }
    }

    /// <summary>A build left the queue without starting here (canceled, or claimed by another replica).</summary>
    public void Removed(long id)
    {
        lock (gate)
        {
            state.Remove(id);
        }
    }

    /// <summary>An admin changed an owner's weight.</summary>
    public void Weighted(string owner, int weight)
    {
        lock (gate)
        {
            state.SetWeight(owner, weight);
        }
    }

    /// <inheritdoc />
    public void Dispose() => reading.Dispose();

    /// <summary>The scheduler's view of a stored build.</summary>
    public static QueuedBuild Entry(Data.Entities.BuildRecord b) => new(b.Id, b.Owner, b.Priority, b.Arch, b.Labels, b.SubmittedAt, b.NotBefore, b.Target != null);

    private async Task LoadAsync(ForgelineDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var fresh = new QueueState();
        foreach (var build in await QueuedSince(db, null).ToListAsync(cancellationToken))
        {
            fresh.Add(build);
        }

        await ApplySharesAsync(db, fresh, cancellationToken);
        lock (gate)
        {
            // Keep the round-robin memory: who was served last is not in the database.
            foreach (var owner in state.Owners)
            {
                fresh.Remember(owner.Name, owner.LastServed);
            }

            state = fresh;
            loadedAt = readAt = now;
        }

        LogLoaded(fresh.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task ReadChangesAsync(ForgelineDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var since = readAt - Overlap;
        var queued = await QueuedSince(db, since).ToListAsync(cancellationToken);
        lock (gate)
        {
            foreach (var build in queued)
            {
                state.Add(build);
            }
        }

        await ApplySharesAsync(db, null, cancellationToken);
        readAt = now;
    }

    // Running counts and weights are small (one row per busy or weighted owner) and read whole each time.
    private async Task ApplySharesAsync(ForgelineDbContext db, QueueState? target, CancellationToken cancellationToken)
    {
        var running = await db.Builds.AsNoTracking().Where(b => b.State == BuildState.Running)
            .GroupBy(b => b.Owner).Select(g => new { Owner = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Owner, x => x.Count, cancellationToken);
        var weights = await db.Owners.AsNoTracking().ToDictionaryAsync(o => o.Name, o => o.Weight, cancellationToken);
        lock (gate)
        {
            var into = target ?? state;
            foreach (var owner in into.Owners.Select(o => o.Name).Union(running.Keys).Union(weights.Keys).ToList())
            {
                into.SetRunning(owner, running.GetValueOrDefault(owner));
                into.SetWeight(owner, weights.GetValueOrDefault(owner, 1));
            }
        }
    }

    private static IQueryable<QueuedBuild> QueuedSince(ForgelineDbContext db, DateTime? since)
    {
        var query = db.Builds.AsNoTracking().Where(b => b.State == BuildState.Queued);
        if (since is { } from)
        {
            query = query.Where(b => b.QueuedAt >= from);
        }

        return query.Select(b => new QueuedBuild(b.Id, b.Owner, b.Priority, b.Arch, b.Labels, b.SubmittedAt, b.NotBefore, b.Target != null));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queue loaded: {Count} builds in {Milliseconds} ms")]
    private partial void LogLoaded(int count, double milliseconds);
}

/// <summary>The queue in planned start order.</summary>
/// <param name="Items">Matching entries with their 1-based position.</param>
/// <param name="Total">Queued builds in all.</param>
/// <param name="Owners">Owners with queued or running builds, with the position of their next build.</param>
public sealed record QueuePlan(
    IReadOnlyList<(QueuedBuild Build, int Position)> Items,
    int Total,
    IReadOnlyList<(string Owner, int Running, int Weight, int Queued, int? NextPosition)> Owners);
