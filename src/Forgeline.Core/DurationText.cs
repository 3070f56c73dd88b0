namespace Forgeline.Core;

/// <summary>Durations as people read them, the same in the CLI and the web UI: 0.8s, 1m 05s, 2h 10m.</summary>
public static class DurationText
{
    /// <summary>The text for <paramref name="duration"/>; empty when there is none.</summary>
    public static string Format(TimeSpan? duration) => duration switch
    {
        null => "",
        { TotalHours: >= 1 } d => $"{(int)d.TotalHours}h {d.Minutes:00}m",
        { TotalMinutes: >= 1 } d => $"{(int)d.TotalMinutes}m {d.Seconds:00}s",
        { } d => $"{d.TotalSeconds:0.0}s",
    };
}
