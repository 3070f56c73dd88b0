using System.Globalization;

/// <summary>Times in milliseconds, with the percentiles the RESULT lines quote (nearest rank).</summary>
internal sealed class Samples
{
    private readonly List<double> milliseconds = [];

    public int Count => milliseconds.Count;

    public void Add(TimeSpan elapsed) => milliseconds.Add(elapsed.TotalMilliseconds);

    public void AddRange(IEnumerable<TimeSpan> elapsed) => milliseconds.AddRange(elapsed.Select(e => e.TotalMilliseconds));

    public double Percentile(double p)
    {
        var sorted = milliseconds.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public double Max => milliseconds.Max();

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Percentile(0.5):0} ms, p90 {Percentile(0.9):0} ms, p99 {Percentile(0.99):0} ms, max {Max:0} ms ({Count})");
}
