using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Forgeline.Bot.Forges;

/// <summary>Counts and times the requests forge clients send (one per attempt, retries included).</summary>
public sealed class ForgeMetrics : IDisposable
{
    /// <summary>The meter's name, for listeners and exporters.</summary>
    public const string MeterName = "Forgeline.Bot.Forges";

    private readonly Meter meter;
    private readonly Counter<long> requests;
    private readonly Histogram<double> duration;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a meter of its own when there is none.</summary>
    public ForgeMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        requests = meter.CreateCounter<long>("forgeline_bot_forge_requests_total", description: "Requests sent to forges, by forge, method and status (or timeout/network).");
        duration = meter.CreateHistogram<double>("forgeline_bot_forge_request_duration_seconds", unit: "s", description: "How long forge requests took.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    /// <summary>Records one attempt: <paramref name="status"/> is the HTTP status, or <c>timeout</c>/<c>network</c>.</summary>
    public void RecordRequest(Forge forge, string method, string status, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "forge", forge.ToString().ToLowerInvariant() },
            { "method", method },
            { "status", status },
        };
        requests.Add(1, tags);
        duration.Record(elapsed.TotalSeconds, tags);
    }

    /// <inheritdoc />
    public void Dispose() => meter.Dispose();
}
