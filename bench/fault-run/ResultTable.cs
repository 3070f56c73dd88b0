using System.Globalization;
using Forgeline.Testing;

namespace Forgeline.FaultRun;

/// <summary>The figures of every scenario as a plain-text table (the benchmarks print plain text; Spectre.Console is the CLI's).</summary>
internal static class ResultTable
{
    private static readonly string[] Headers =
        ["scenario", "builds", "kills s/w", "succeeded", "failed: attempts", "failed: other", "queued", "lost", "twice", "retries", "max attempt", "left dirs", "recovery med/max s", "wall s"];

    /// <summary>Prints one row per scenario and a total row over the kill rounds.</summary>
    public static void Print(IReadOnlyList<ScenarioFigures> rounds, ScenarioFigures? disk)
    {
        var rows = rounds.Select(Row).ToList();
        if (rounds.Count > 1)
        {
            rows.Add(Row(Total(rounds)));
        }

        if (disk is not null)
        {
            rows.Add(Row(disk));
        }

        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            "| " + string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |";

        Console.WriteLine(Line(Headers));
        Console.WriteLine("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in rows)
        {
            Console.WriteLine(Line(row));
        }
    }

    /// <summary>The kill rounds added up (recovery times pooled).</summary>
    public static ScenarioFigures Total(IReadOnlyList<ScenarioFigures> rounds) => new(
        "all kill rounds",
        rounds.Sum(r => r.Submitted),
        rounds.Sum(r => r.Succeeded),
        rounds.Sum(r => r.FailedAttemptLimit),
        rounds.Sum(r => r.FailedOther),
        rounds.Sum(r => r.StillQueued),
        rounds.SelectMany(r => r.Lost).ToList(),
        rounds.SelectMany(r => r.FinishedTwice).ToList(),
        rounds.Sum(r => r.Retries),
        rounds.Max(r => r.MaxAttempt),
        rounds.Sum(r => r.LeftoverDirectories),
        rounds.SelectMany(r => r.Kills).ToList(),
        rounds.SelectMany(r => r.Recovery).ToList(),
        TimeSpan.FromTicks(rounds.Sum(r => r.Duration.Ticks)),
        rounds.SelectMany(r => r.Findings).ToList(),
        rounds.SelectMany(r => r.Retried).ToList());

    /// <summary>"median / max" of the recovery times, or "-" without any.</summary>
    public static string RecoveryText(IEnumerable<Recovery> recovery)
    {
        var seconds = recovery.Select(r => r.Seconds).ToList();
        return seconds.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{BenchStatistics.Median(seconds):0.0} / {seconds.Max():0.0}");
    }

    private static string[] Row(ScenarioFigures f) =>
    [
        f.Name,
        N(f.Submitted),
        $"{f.Kills.Count(k => k.Target == "server")}/{f.Kills.Count(k => k.Target != "server")}",
        N(f.Succeeded),
        N(f.FailedAttemptLimit),
        N(f.FailedOther),
        N(f.StillQueued),
        N(f.Lost.Count),
        N(f.FinishedTwice.Count),
        N(f.Retries),
        N(f.MaxAttempt),
        N(f.LeftoverDirectories),
        RecoveryText(f.Recovery),
        f.Duration.TotalSeconds.ToString("0", CultureInfo.InvariantCulture),
    ];

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
