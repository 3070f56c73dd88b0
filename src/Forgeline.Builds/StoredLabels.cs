namespace Forgeline.Builds;

/// <summary>Labels as builds and workers store them: lower-case, distinct, sorted, comma-separated; empty for none.</summary>
public static class StoredLabels
{
    /// <summary>The stored form of <paramref name="labels"/>, the form builds and workers are matched on.</summary>
    public static string Join(IEnumerable<string>? labels) =>
        string.Join(',', (labels ?? []).Select(l => l.Trim().ToLowerInvariant()).Where(l => l.Length > 0).Distinct().Order(StringComparer.Ordinal));

    /// <summary>The labels of a stored value.</summary>
    public static string[] Split(string labels) => labels.Length == 0 ? [] : labels.Split(',');
}
