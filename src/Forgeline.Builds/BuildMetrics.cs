using System.Globalization;
using System.Text;
using Forgeline.Core.Builds;

namespace Forgeline.Builds;

/// <summary>Build durations since start, by final state, kept as a Prometheus histogram.</summary>
public sealed class BuildMetrics
{
    private static readonly double[] Buckets = [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10800];
    private readonly Lock gate = new();
    private readonly Dictionary<BuildState, (long[] Counts, double Sum, long Count)> histograms = [];

    /// <summary>Records a build that reached <paramref name="state"/> after <paramref name="seconds"/>.</summary>
    public void RecordFinished(BuildState state, double seconds)
    {
        lock (gate)
        {
            var (counts, sum, count) = histograms.TryGetValue(state, out var h) ? h : (new long[Buckets.Length], 0, 0);
            for (var i = 0; i < Buckets.Length; i++)
            {
                if (seconds <= Buckets[i])
                {
                    counts[i]++;
                }
            }

            histograms[state] = (counts, sum + seconds, count + 1);
        }
    }

    /// <summary>Writes <c>forgeline_build_duration_seconds</c> in the Prometheus text format.</summary>
    public void WriteTo(StringBuilder output)
    {
        output.AppendLine("# HELP forgeline_build_duration_seconds Time from a build's start to its end, by final state.");
        output.AppendLine("# TYPE forgeline_build_duration_seconds histogram");
        lock (gate)
        {
            foreach (var (state, (counts, sum, count)) in histograms.OrderBy(h => h.Key))
            {
                var label = state.ToApiName();
                for (var i = 0; i < Buckets.Length; i++)
                {
                    output.Append(CultureInfo.InvariantCulture, $"forgeline_build_duration_seconds_bucket{{state=\"{label}\",le=\"{Buckets[i]}\"}} {counts[i]}\n");
                }

                output.Append(CultureInfo.InvariantCulture, $"forgeline_build_duration_seconds_bucket{{state=\"{label}\",le=\"+Inf\"}} {count}\n");
                output.Append(CultureInfo.InvariantCulture, $"forgeline_build_duration_seconds_sum{{state=\"{label}\"}} {sum}\n");
                output.Append(CultureInfo.InvariantCulture, $"forgeline_build_duration_seconds_count{{state=\"{label}\"}} {count}\n");
            }
        }
    }
}
