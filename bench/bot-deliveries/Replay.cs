namespace Forgeline.BotDeliveries;

/// <summary>What one replay did: per delivery when it was sent and the answer's status, and the whole replay's wall time.</summary>
/// <param name="SentAt">Taken just before each request was sent (wall clock, as the fake forge stamps its calls).</param>
/// <param name="Status">Each answer's status code (0 when the request failed).</param>
/// <param name="Elapsed">From the first request sent to the last answer received.</param>
internal sealed record Replay(DateTimeOffset[] SentAt, int[] Status, TimeSpan Elapsed)
{
    /// <summary>How many were answered 202 (stored).</summary>
    public int Accepted => Status.Count(s => s == 202);

    /// <summary>Accepted deliveries per second over the whole replay.</summary>
    public double AcceptedPerSecond => Accepted / Elapsed.TotalSeconds;

    /// <summary>The answers other than 202, e.g. <c>500 x3</c>, or "none".</summary>
    public string Others => Status.Any(s => s != 202)
        ? string.Join(", ", Status.Where(s => s != 202).GroupBy(s => s).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))} x{g.Count()}"))
        : "none";
}
