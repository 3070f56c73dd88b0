using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Forgeline.Bot.Dispatch;

/// <summary>The bot's metrics: meter <c>Forgeline.Bot</c> for OpenTelemetry, and the same counts in Prometheus text for <c>/metrics</c>.</summary>
public sealed class BotMetrics : IDisposable
{
    private readonly Meter meter = new("Forgeline.Bot");
    private readonly Counter<long> deliveries;
    private readonly Counter<long> plugins;
    private readonly Histogram<double> pluginSeconds;
    private readonly Counter<long> refused;
    private readonly ConcurrentDictionary<(string Forge, string Outcome), long> deliveryCounts = new();
    private readonly ConcurrentDictionary<(string Plugin, string Outcome), (long Count, double Seconds)> pluginCounts = new();
    private readonly ConcurrentDictionary<(string Plugin, string Command), long> refusedCounts = new();

    /// <summary>Creates the instruments.</summary>
    public BotMetrics()
    {
        deliveries = meter.CreateCounter<long>("forgeline_bot_deliveries_total", description: "Webhook deliveries by forge and outcome (accepted, duplicate, rejected, invalid)");
        plugins = meter.CreateCounter<long>("forgeline_bot_plugin_runs_total", description: "Plugin runs by plugin and outcome");
        pluginSeconds = meter.CreateHistogram<double>("forgeline_bot_plugin_seconds", "s", "How long plugins take per event");
        refused = meter.CreateCounter<long>("forgeline_bot_commands_refused_total", description: "Commands refused because the sender may not use them");
    }

    /// <summary>Counts a delivery.</summary>
    public void Delivery(string forge, string outcome)
    {
        deliveries.Add(1, new("forge", forge), new("outcome", outcome));
        deliveryCounts.AddOrUpdate((forge, outcome), 1, (_, n) => n + 1);
    }

    /// <summary>Counts a plugin run.</summary>
    public void PluginRan(string plugin, string outcome, TimeSpan elapsed)
    {
        plugins.Add(1, new("plugin", plugin), new("outcome", outcome));
        pluginSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("plugin", plugin));
        pluginCounts.AddOrUpdate((plugin, outcome), (1, elapsed.TotalSeconds), (_, n) => (n.Count + 1, n.Seconds + elapsed.TotalSeconds));
    }

    /// <summary>Counts a refused command.</summary>
    public void CommandRefused(string plugin, string command)
    {
        refused.Add(1, new("plugin", plugin), new("command", command));
        refusedCounts.AddOrUpdate((plugin, command), 1, (_, n) => n + 1);
    }

    /// <summary>Appends the counts in Prometheus' text format.</summary>
    public void WriteTo(StringBuilder output)
    {
        output.AppendLine("# HELP forgeline_bot_deliveries_total Webhook deliveries by forge and outcome.");
        output.AppendLine("# TYPE forgeline_bot_deliveries_total counter");
        foreach (var ((forge, outcome), count) in deliveryCounts.OrderBy(d => d.Key))
        {
            output.Append(CultureInfo.InvariantCulture, $"forgeline_bot_deliveries_total{{forge=\"{forge}\",outcome=\"{outcome}\"}} {count}\n");
        }

        output.AppendLine("# HELP forgeline_bot_plugin_runs_total Plugin runs by plugin and outcome.");
        output.AppendLine("# TYPE forgeline_bot_plugin_runs_total counter");
        output.AppendLine("# HELP forgeline_bot_plugin_seconds_total Time plugins spent, by plugin and outcome.");
        output.AppendLine("# TYPE forgeline_bot_plugin_seconds_total counter");
        foreach (var ((plugin, outcome), (count, seconds)) in pluginCounts.OrderBy(p => p.Key))
        {
            output.Append(CultureInfo.InvariantCulture, $"forgeline_bot_plugin_runs_total{{plugin=\"{plugin}\",outcome=\"{outcome}\"}} {count}\n");
            output.Append(CultureInfo.InvariantCulture, $"forgeline_bot_plugin_seconds_total{{plugin=\"{plugin}\",outcome=\"{outcome}\"}} {seconds}\n");
        }

        output.AppendLine("# HELP forgeline_bot_commands_refused_total Commands refused because the sender may not use them.");
        output.AppendLine("# TYPE forgeline_bot_commands_refused_total counter");
        foreach (var ((plugin, command), count) in refusedCounts.OrderBy(r => r.Key))
        {
            output.Append(CultureInfo.InvariantCulture, $"forgeline_bot_commands_refused_total{{plugin=\"{plugin}\",command=\"{command}\"}} {count}\n");
        }
    }

    /// <inheritdoc />
    public void Dispose() => meter.Dispose();
}
