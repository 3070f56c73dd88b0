using System.Diagnostics.Metrics;

namespace Forgeline.Bot.Dispatch;

/// <summary>The bot's metrics on the meter <c>Forgeline.Bot</c>, exported at <c>/metrics</c> by OpenTelemetry.</summary>
public sealed class BotMetrics : IDisposable
{
    /// <summary>The meter's name, for exporters and listeners.</summary>
    public const string MeterName = "Forgeline.Bot";

    private static readonly double[] PluginBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30];
    private readonly Meter meter;
    private readonly Counter<long> deliveries;
    private readonly Counter<long> plugins;
    private readonly Counter<double> pluginSecondsTotal;
    private readonly Histogram<double> pluginSeconds;
    private readonly Counter<long> refused;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a meter of its own when there is none.</summary>
    public BotMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        // Names end in _total (and _seconds where the unit is seconds), so the Prometheus exporter adds no suffix to them.
        deliveries = meter.CreateCounter<long>("forgeline_bot_deliveries_total", description: "Webhook deliveries by forge and outcome (accepted, duplicate, rejected, invalid).");
        plugins = meter.CreateCounter<long>("forgeline_bot_plugin_runs_total", description: "Plugin runs by plugin and outcome.");
        pluginSecondsTotal = meter.CreateCounter<double>("forgeline_bot_plugin_seconds_total", "s", "Time plugins spent, by plugin and outcome.");
        pluginSeconds = meter.CreateHistogram<double>("forgeline_bot_plugin_seconds", "s", "How long one plugin run takes, by plugin.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PluginBuckets });
        refused = meter.CreateCounter<long>("forgeline_bot_commands_refused_total", description: "Commands refused because the sender may not use them.");
    }

    /// <summary>Counts a delivery.</summary>
    public void Delivery(string forge, string outcome) =>
        deliveries.Add(1, new("forge", forge), new("outcome", outcome));

    /// <summary>Counts a plugin run.</summary>
    public void PluginRan(string plugin, string outcome, TimeSpan elapsed)
    {
        plugins.Add(1, new("plugin", plugin), new("outcome", outcome));
        pluginSecondsTotal.Add(elapsed.TotalSeconds, new("plugin", plugin), new("outcome", outcome));
        pluginSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("plugin", plugin));
    }

    /// <summary>Counts a refused command.</summary>
    public void CommandRefused(string plugin, string command) =>
        refused.Add(1, new("plugin", plugin), new("command", command));

    /// <inheritdoc />
    public void Dispose() => meter.Dispose();
}
