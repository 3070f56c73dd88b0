using System.Diagnostics.Metrics;

namespace Forgeline.Bot.Dispatch;

/// <summary>The bot's metrics (meter <c>Forgeline.Bot</c>).</summary>
public sealed class BotMetrics : IDisposable
{
    private readonly Meter meter = new("Forgeline.Bot");
    private readonly Counter<long> deliveries;
    private readonly Counter<long> plugins;
    private readonly Histogram<double> pluginSeconds;
    private readonly Counter<long> refused;

    /// <summary>Creates the instruments.</summary>
    public BotMetrics()
    {
        deliveries = meter.CreateCounter<long>("forgeline_bot_deliveries_total", description: "Webhook deliveries by forge and outcome (accepted, duplicate, rejected, invalid)");
        plugins = meter.CreateCounter<long>("forgeline_bot_plugin_runs_total", description: "Plugin runs by plugin and outcome");
        pluginSeconds = meter.CreateHistogram<double>("forgeline_bot_plugin_seconds", "s", "How long plugins take per event");
        refused = meter.CreateCounter<long>("forgeline_bot_commands_refused_total", description: "Commands refused because the sender may not use them");
    }

    /// <summary>Counts a delivery.</summary>
    public void Delivery(string forge, string outcome) => deliveries.Add(1, new("forge", forge), new("outcome", outcome));

    /// <summary>Counts a plugin run.</summary>
    public void PluginRan(string plugin, string outcome, TimeSpan elapsed)
    {
        plugins.Add(1, new("plugin", plugin), new("outcome", outcome));
        pluginSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("plugin", plugin));
    }

    /// <summary>Counts a refused command.</summary>
    public void CommandRefused(string plugin, string command) => refused.Add(1, new("plugin", plugin), new("command", command));

    /// <inheritdoc />
    public void Dispose() => meter.Dispose();
}
