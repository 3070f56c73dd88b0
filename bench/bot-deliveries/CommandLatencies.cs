using System.Globalization;
using Forgeline.Testing;

namespace Forgeline.BotDeliveries;

/// <summary>
/// Command-to-action latency of a replay: for each accepted command, from just before its delivery was sent to the fake
/// forge's receipt of the label POST it causes (each command has a pull request of its own, so the call's path names
/// the command). Also counts commands whose call never came and calls made more than once (processed twice).
/// </summary>
/// <param name="Milliseconds">One latency per command whose call came, sorted.</param>
/// <param name="Missing">Accepted commands with no call.</param>
/// <param name="Repeated">Commands whose call came more than once.</param>
internal sealed record CommandLatencies(double[] Milliseconds, int Missing, int Repeated)
{
    /// <summary>Reads the fake forge's call log for the commands among <paramref name="deliveries"/>.</summary>
    public static CommandLatencies Of(FakeForge forge, IReadOnlyList<Delivery> deliveries, Replay replay)
    {
        var firstCall = new Dictionary<string, (DateTimeOffset At, int Count)>(StringComparer.Ordinal);
        foreach (var call in forge.Calls)
        {
            if (call.Method == "POST" && call.Path.EndsWith("/labels", StringComparison.Ordinal))
            {
                firstCall[call.Path] = firstCall.TryGetValue(call.Path, out var seen) ? (seen.At, seen.Count + 1) : (call.ReceivedAt, 1);
            }
        }

        var latencies = new List<double>();
        var missing = 0;
        var repeated = 0;
        for (var i = 0; i < deliveries.Count; i++)
        {
            if (deliveries[i].ActionPath is not { } path || replay.Status[i] != 202)
            {
                continue;
            }

            if (!firstCall.TryGetValue(path, out var call))
            {
                missing++;
                continue;
            }

            latencies.Add((call.At - replay.SentAt[i]).TotalMilliseconds);
            repeated += call.Count > 1 ? 1 : 0;
        }

        latencies.Sort();
        return new CommandLatencies([.. latencies], missing, repeated);
    }

    /// <summary>The <paramref name="p"/> quantile (nearest rank), in milliseconds.</summary>
    public double Percentile(double p) =>
        Milliseconds.Length == 0 ? double.NaN : Milliseconds[Math.Clamp((int)Math.Ceiling(p * Milliseconds.Length) - 1, 0, Milliseconds.Length - 1)];

    /// <summary>e.g. <c>p50 12.3 ms, p90 …, p99 …, max …; 0 missing, 0 repeated</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Milliseconds.Length} commands: p50 {Percentile(0.5):0.0} ms, p90 {Percentile(0.9):0.0} ms, p99 {Percentile(0.99):0.0} ms, max {Percentile(1):0.0} ms; {Missing} without their call, {Repeated} with it repeated");
}
