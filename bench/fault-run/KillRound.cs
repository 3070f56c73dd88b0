using System.Diagnostics;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;
using Forgeline.Testing;

namespace Forgeline.FaultRun;

/// <summary>
/// One round: a fresh server (SQLite) and two workers, the builds submitted at once, and while they run a SIGKILL of the
/// server or of a worker every <see cref="KillEvery"/>, each restarted after up to <see cref="RestartDelay"/>; the
/// killing stops when every build is final or after <see cref="ChaosTimeout"/>.
/// </summary>
internal sealed class KillRound(IReadOnlyDictionary<string, string?> settings, Random random)
{
    /// <summary>The pause between two kills, drawn uniformly.</summary>
    public static readonly (double Min, double Max) KillEvery = (5, 15);

    /// <summary>The time a killed process stays down, drawn uniformly.</summary>
    public static readonly (double Min, double Max) RestartDelay = (0, 3);

    /// <summary>Killing stops after this long even if builds are not final.</summary>
    public static readonly TimeSpan ChaosTimeout = TimeSpan.FromMinutes(5);

    /// <summary>After the killing, how long the farm gets to bring every build to an end.</summary>
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the round on <paramref name="srpms"/>; <paramref name="name"/> labels it in the table.</summary>
    public async Task<ScenarioFigures> RunAsync(string name, IReadOnlyList<string> srpms)
    {
        await using var farm = new Farm(new Dictionary<string, string?>(settings));
        await farm.StartServerAsync();
        var slots = new[] { random.Next(1, 3), random.Next(1, 3) };
        await farm.AddWorkerAsync("w1", slots[0]);
        await farm.AddWorkerAsync("w2", slots[1]);
        Console.WriteLine($"[{name}] server on port {farm.Port}, workers w1 x {slots[0]} slot(s), w2 x {slots[1]} slot(s); submitting {srpms.Count} builds");

        var clock = Stopwatch.StartNew();
        var ids = await SubmitAsync(farm, srpms);
        var kills = new List<Kill>();
        var chaosEnd = DateTime.UtcNow + ChaosTimeout;
        var targets = new[] { "server", "w1", "w2" };
        while (DateTime.UtcNow < chaosEnd)
        {
            var next = DateTime.UtcNow + Seconds(KillEvery);
            var done = false;
            while (DateTime.UtcNow < next && !(done = await BuildAudit.AllFinalAsync(farm, ids)))
            {
                await Task.Delay(1000);
            }

            if (done)
            {
                break;
            }

            var target = targets[random.Next(targets.Length)];
            var at = clock.Elapsed;
            await farm.KillAsync(target);
            var killedAt = DateTimeOffset.UtcNow;
            var down = Seconds(RestartDelay);
            await Task.Delay(down);
            await farm.RestartAsync(target);
            kills.Add(new Kill(target, killedAt, DateTimeOffset.UtcNow));
            Console.WriteLine($"[{name}] {at.TotalSeconds,6:0.0} s: kill -9 {target}, down {down.TotalSeconds:0.0} s, back after {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:0.0} s");
        }

        var settled = await BuildAudit.WaitAllFinalAsync(farm, ids, SettleTimeout);
        clock.Stop();
        var findings = new List<string>();
        if (!settled)
        {
            findings.Add($"not every build was final {SettleTimeout.TotalSeconds:0} s after the last kill");
        }

        // Audited while the workers still run (a SIGTERM hands running builds back to the queue), then a clean stop.
        var figures = await BuildAudit.AuditAsync(name, farm, ids, kills, clock.Elapsed, 0, findings);
        var codes = await farm.StopAsync();
        findings.AddRange(codes.Where(c => c.Value != 0).Select(c => $"worker {c.Key} exited {c.Value} on SIGTERM"));
        var leftovers = farm.LeftoverWorkDirectories();
        findings.AddRange(leftovers.Select(d => $"work directory left after a clean stop: {d}"));
        var logs = Path.Combine(Path.GetTempPath(), "forgeline-fault-run-logs", $"{name.Replace(' ', '-')}-{DateTime.UtcNow:HHmmss}");
        farm.SaveOutputs(logs, figures.Retried);
        Console.WriteLine($"[{name}] {findings.Count} finding(s); the processes' output and the retried builds' histories are in {logs}");

        Console.WriteLine($"[{name}] done in {clock.Elapsed.TotalSeconds:0} s: {figures.Succeeded} succeeded, {kills.Count} kills");
        return figures with { LeftoverDirectories = leftovers.Count };
    }

    /// <summary>Uploads the SRPMs and submits one no-cache build each; returns the acknowledged ids.</summary>
    public static async Task<List<long>> SubmitAsync(Farm farm, IReadOnlyList<string> srpms)
    {
        using var client = farm.Client();
        var ids = new List<long>();
        foreach (var srpm in srpms)
        {
            await using var file = File.OpenRead(srpm);
            var upload = await client.UploadAsync(file, "srpm", Path.GetFileName(srpm), await Sha256Hex.OfFileAsync(srpm));
            var build = await client.SubmitBuildAsync(new SubmitBuildRequest(new BuildSource(SourceKind.Srpm, upload.Sha256, Path.GetFileName(srpm)), NoCache: true));
            ids.Add(build.Id);
        }

        return ids;
    }

    private TimeSpan Seconds((double Min, double Max) range) => TimeSpan.FromSeconds(range.Min + (random.NextDouble() * (range.Max - range.Min)));
}
