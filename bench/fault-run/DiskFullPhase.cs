using System.Diagnostics;
using System.Text.Json;
using Forgeline.Testing;

namespace Forgeline.FaultRun;

/// <summary>
/// The full-disk scenario: the server's data directory (database, artifacts, logs) on a 64 MiB tmpfs; while its builds
/// run, a filler file takes every free byte for <see cref="FullFor"/>, then is deleted. A process that died meanwhile is
/// started again once there is room, as an operator would.
/// </summary>
internal sealed class DiskFullPhase(IReadOnlyDictionary<string, string?> settings)
{
    /// <summary>How long the disk stays full.</summary>
    public static readonly TimeSpan FullFor = TimeSpan.FromSeconds(20);

    /// <summary>The result: the figures, how long until builds flowed again after the filler went, and what was seen meanwhile.</summary>
    public sealed record Outcome(ScenarioFigures Figures, double? FlowAgainSeconds, long FillerBytes, IReadOnlyList<string> Observations);

    /// <summary>Runs the phase on <paramref name="srpms"/>.</summary>
    public async Task<Outcome> RunAsync(IReadOnlyList<string> srpms)
    {
        var observations = new List<string>();
        var findings = new List<string>();
        await using var disk = await SmallDisk.MountAsync(64);
        var data = disk.Path;
        await using var farm = new Farm(new Dictionary<string, string?>(settings) { ["FORGELINE_DATA"] = data });
        await farm.StartServerAsync();
        await farm.AddWorkerAsync("w1", 1);
        await farm.AddWorkerAsync("w2", 2);
        var clock = Stopwatch.StartNew();
        var ids = await KillRound.SubmitAsync(farm, srpms);
        Console.WriteLine($"[disk-full] {ids.Count} builds submitted; data directory {data} is a 64 MiB tmpfs");
        await WaitUntilRunningAsync(farm, ids);

        var bytes = await disk.FillAsync();
        var fullAt = DateTimeOffset.UtcNow;
        Console.WriteLine($"[disk-full] {clock.Elapsed.TotalSeconds,6:0.0} s: filler took {bytes / 1048576.0:0.0} MiB, the disk is full for {FullFor.TotalSeconds:0} s");
        var apiErrors = 0;
        var pollEnd = DateTime.UtcNow + FullFor;
        while (DateTime.UtcNow < pollEnd)
        {
            try
            {
                using var client = farm.Client();
                await client.ListBuildsAsync(limit: 100);
            }
            catch (Exception e) when (e is HttpRequestException or Core.Client.ForgelineApiException or TaskCanceledException)
            {
                if (apiErrors++ == 0)
                {
                    observations.Add($"while full, GET /api/v1/builds failed: {e.Message}");
                }
            }

            await Task.Delay(1000);
        }

        observations.Add($"while full: {apiErrors} of ~{FullFor.TotalSeconds:0} list requests failed");
        disk.Free();
        var freedAt = DateTimeOffset.UtcNow;
        Console.WriteLine($"[disk-full] {clock.Elapsed.TotalSeconds,6:0.0} s: filler deleted");
        var restarts = new List<Kill>();
        foreach (var target in farm.WorkerNames.Prepend("server").ToList())
        {
            var process = target == "server" ? farm.Server! : farm.Worker(target);
            if (process.HasExited)
            {
                var tail = string.Join(" / ", farm.Output(target).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
                findings.Add($"{target} exited while the disk was full; its last lines: {tail}");
                await farm.RestartAsync(target);
                restarts.Add(new Kill(target, freedAt, DateTimeOffset.UtcNow));
            }
        }

        var settled = await BuildAudit.WaitAllFinalAsync(farm, ids, KillRound.SettleTimeout);
        clock.Stop();
        if (!settled)
        {
            findings.Add($"not every build was final {KillRound.SettleTimeout.TotalSeconds:0} s after the disk had room again");
        }

        var figures = await BuildAudit.AuditAsync("disk full", farm, ids, restarts, clock.Elapsed, 0, findings);
        var flow = await FlowAgainAsync(farm, ids, fullAt, freedAt, observations);
        observations.AddRange(ErrorLines(farm.Output("server"), "server"));
        foreach (var worker in farm.WorkerNames)
        {
            observations.AddRange(ErrorLines(farm.Output(worker), worker));
        }

        await farm.StopAsync();
        var logs = Path.Combine(Path.GetTempPath(), "forgeline-fault-run-logs", $"disk-full-{DateTime.UtcNow:HHmmss}");
        farm.SaveOutputs(logs, figures.Retried.Concat(observations));
        observations.Add($"the processes' output is in {logs}");
        var leftovers = farm.LeftoverWorkDirectories();
        findings.AddRange(leftovers.Select(d => $"work directory left after a clean stop: {d}"));
        // In the table the recovery of this scenario is the time from the filler's deletion until builds flowed again.
        var recovery = flow is { } seconds ? new List<Recovery> { new("disk", seconds) } : [];
        return new Outcome(figures with { LeftoverDirectories = leftovers.Count, Recovery = recovery }, flow, bytes, observations);
    }

    /// <summary>Seconds from the filler's deletion to the next build that started or finished; notes what ended while the disk was full.</summary>
    private static async Task<double?> FlowAgainAsync(Farm farm, IReadOnlyList<long> ids, DateTimeOffset fullAt, DateTimeOffset freedAt, List<string> observations)
    {
        using var client = farm.Client();
        var steps = new List<(long Id, Core.Builds.BuildEventDto Step)>();
        foreach (var id in ids)
        {
            steps.AddRange((await client.GetBuildHistoryAsync(id)).Select(e => (id, e)));
        }

        var whileFull = steps.Where(s => s.Step.At >= fullAt && s.Step.At <= freedAt).OrderBy(s => s.Step.At).ToList();
        observations.Add($"while full: {whileFull.Count} steps recorded in the builds' histories");
        foreach (var (id, step) in whileFull)
        {
            observations.Add($"while full: build {id} {step.Kind} -> {step.State} ({step.Worker}) {step.Detail}".TrimEnd());
        }

        var next = steps.Where(s => s.Step.At >= freedAt && s.Step.Kind is "started" or "finished").Select(s => s.Step.At).Order().ToList();
        return next.Count == 0 ? null : (next[0] - freedAt).TotalSeconds;
    }

    private static async Task WaitUntilRunningAsync(Farm farm, IReadOnlyList<long> ids)
    {
        using var client = farm.Client();
        for (var i = 0; i < 600; i++)
        {
            var page = await client.ListBuildsAsync(limit: 100);
            if (page.Items.Count(b => ids.Contains(b.Id) && b.State == "running") >= 2)
            {
                return;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The distinct warnings and errors a process logged (JSON lines: category, message, first line of the exception), with counts.</summary>
    private static IEnumerable<string> ErrorLines(string output, string who) =>
        output.Split('\n')
            .Select(Summarize)
            .OfType<string>()
            .GroupBy(l => l, StringComparer.Ordinal)
            .Select(g => $"{who}: {g.Count()} x {g.Key}")
            .Take(8);

    private static string? Summarize(string line)
    {
        if (!line.StartsWith('{'))
        {
            return line.Contains("No space", StringComparison.OrdinalIgnoreCase) || line.Contains("full", StringComparison.OrdinalIgnoreCase) ? line.Trim() : null;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var level = root.TryGetProperty("LogLevel", out var l) ? l.GetString() : null;
            if (level is not ("Warning" or "Error" or "Critical"))
            {
                return null;
            }

            var exception = root.TryGetProperty("Exception", out var e) ? e.GetString()?.Split('\n')[0].Trim() : null;
            var message = root.TryGetProperty("Message", out var m) ? m.GetString()?.Split('\n')[0].Trim() : null;
            var category = root.TryGetProperty("Category", out var c) ? c.GetString()?.Split('.')[^1] : null;
            var text = $"{level} {category}: {message}{(exception is null ? "" : " — " + exception)}";
            // Ids and paths differ between lines of the same kind.
            text = System.Text.RegularExpressions.Regex.Replace(text, "[0-9a-f]{12,}|/tmp/[^ ']+|\\b\\d+\\b", "#");
            return text.Length > 260 ? text[..260] + "…" : text;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
