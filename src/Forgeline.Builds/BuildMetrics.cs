using System.Diagnostics.Metrics;
using Forgeline.Core.Builds;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Builds;

/// <summary>
/// The build farm's metrics on the meter <c>Forgeline.Builds</c>: build durations as they end, and gauges of the builds by
/// state, the queue and the online workers, read from the database when <c>/metrics</c> is scraped (see <see cref="RefreshAsync"/>).
/// </summary>
public sealed class BuildMetrics
{
    /// <summary>The meter's name, for exporters and listeners.</summary>
    public const string MeterName = "Forgeline.Builds";

    private static readonly double[] DurationBuckets = [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10800];
    private readonly Histogram<double> duration;
    private volatile FarmCounts counts = new(new Dictionary<string, long>(), 0, 0);

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public BuildMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        // The unit is in the name already, so the Prometheus exporter adds no suffix: the exposed name stays as it was.
        duration = meter.CreateHistogram<double>("forgeline_build_duration_seconds", "s", "Time from a build's start to its end, by final state.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        meter.CreateObservableGauge("forgeline_builds", () => counts.ByState.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("state", s.Key))),
            description: "Builds by state.");
        meter.CreateObservableGauge("forgeline_queue_length", () => counts.Queued, description: "Builds waiting for a worker.");
        meter.CreateObservableGauge("forgeline_workers_online", () => counts.WorkersOnline, description: "Workers seen recently.");
    }

    /// <summary>Records a build that reached <paramref name="state"/> after <paramref name="seconds"/>.</summary>
    public void RecordFinished(BuildState state, double seconds) =>
        duration.Record(seconds, new KeyValuePair<string, object?>("state", state.ToApiName()));

    /// <summary>
    /// Reads the counts behind the gauges from the database. Called before each scrape: the exporter collects
    /// synchronously, and the truth is in the database (replicas share it), not in one process's memory.
    /// </summary>
    public async Task RefreshAsync(ForgelineDbContext db, WorkerService workers, CancellationToken cancellationToken)
    {
        var byState = await db.Builds.GroupBy(b => b.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var all = Enum.GetValues<BuildState>().ToDictionary(s => s.ToApiName(), s => (long)(byState.FirstOrDefault(b => b.State == s)?.Count ?? 0));
        counts = new FarmCounts(all, all[BuildState.Queued.ToApiName()], await workers.CountOnlineAsync(cancellationToken));
    }

    private sealed record FarmCounts(IReadOnlyDictionary<string, long> ByState, long Queued, long WorkersOnline);
}
