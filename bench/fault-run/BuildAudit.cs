using System.Net;
using Forgeline.Core.Builds;
using Forgeline.Core.Client;

namespace Forgeline.FaultRun;

/// <summary>A kill of the server or of a worker: when it died and when its new process was ready.</summary>
internal sealed record Kill(string Target, DateTimeOffset KilledAt, DateTimeOffset RestartedAt);

/// <summary>Seconds from a restart until the farm made progress again (a build started or finished).</summary>
internal sealed record Recovery(string Target, double Seconds);

/// <summary>What one scenario did to its builds, read from the API at its end.</summary>
internal sealed record ScenarioFigures(
    string Name,
    int Submitted,
    int Succeeded,
    int FailedAttemptLimit,
    int FailedOther,
    int StillQueued,
    IReadOnlyList<long> Lost,
    IReadOnlyList<long> FinishedTwice,
    int Retries,
    int MaxAttempt,
    int LeftoverDirectories,
    IReadOnlyList<Kill> Kills,
    IReadOnlyList<Recovery> Recovery,
    TimeSpan Duration,
    IReadOnlyList<string> Findings,
    IReadOnlyList<string> Retried);

/// <summary>Reads every submitted build and its history back and counts what went wrong.</summary>
internal static class BuildAudit
{
    /// <summary>Whether every build in <paramref name="ids"/> is final; false also when the server does not answer.</summary>
    public static async Task<bool> AllFinalAsync(Farm farm, IReadOnlyCollection<long> ids)
    {
        try
        {
            using var client = farm.Client();
            var builds = await ListAsync(client, ids.Count);
            return ids.All(id => builds.TryGetValue(id, out var b) && b.StateValue.IsFinal());
        }
        catch (Exception e) when (e is HttpRequestException or ForgelineApiException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Polls until every build is final or <paramref name="timeout"/> passes; true when all are.</summary>
    public static async Task<bool> WaitAllFinalAsync(Farm farm, IReadOnlyCollection<long> ids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await AllFinalAsync(farm, ids))
            {
                return true;
            }

            await Task.Delay(500);
        }

        return false;
    }

    /// <summary>
    /// Counts the builds' final states, the lost ones (missing, or not final and not queued), the ones that ended twice
    /// (two <c>finished</c> steps, a step after <c>finished</c>, or more than one RPM), and the time from each restart
    /// until the farm made progress again (the next build that started or finished).
    /// </summary>
    public static async Task<ScenarioFigures> AuditAsync(
        string name, Farm farm, IReadOnlyList<long> ids, IReadOnlyList<Kill> kills, TimeSpan duration, int leftovers, List<string> findings)
    {
        using var client = farm.Client();
        var builds = new Dictionary<long, BuildDto>();
        var histories = new Dictionary<long, List<BuildEventDto>>();
        var lost = new List<long>();
        foreach (var id in ids)
        {
            try
            {
                builds[id] = await client.GetBuildAsync(id);
                histories[id] = await client.GetBuildHistoryAsync(id);
            }
            catch (ForgelineApiException e) when (e.Status == HttpStatusCode.NotFound)
            {
                lost.Add(id);
                findings.Add($"build {id} was acknowledged at submission but the server does not know it");
            }
        }

        var twice = new List<long>();
        foreach (var (id, build) in builds)
        {
            var history = histories[id];
            var finished = history.Count(e => e.Kind == "finished");
            var rpms = build.Artifacts.Count(a => a.Kind == "rpm");
            var afterFinish = history.SkipWhile(e => e.Kind != "finished").Skip(1).ToList();
            if (finished > 1 || rpms > 1 || afterFinish.Count > 0)
            {
                twice.Add(id);
                findings.Add($"build {id} ended more than once: {finished} 'finished' steps, {rpms} rpm artifacts; history: " + Describe(history));
            }

            if (!build.StateValue.IsFinal() && build.StateValue != BuildState.Queued)
            {
                lost.Add(id);
                findings.Add($"build {id} is still {build.State} (worker {build.Worker}, attempt {build.Attempt}) after the run; history: " + Describe(history));
            }
            else if (build.StateValue == BuildState.Failed && !IsAttemptLimit(build))
            {
                findings.Add($"build {id} failed: {build.Reason}");
            }
        }

        // Progress is read from the builds' own histories (the server's clock, the same machine's): a step that started or
        // finished a build after the restart.
        var progress = histories.Values.SelectMany(h => h).Where(e => e.Kind is "started" or "finished").Select(e => e.At).Order().ToList();
        var recovery = new List<Recovery>();
        foreach (var kill in kills)
        {
            var next = progress.FindIndex(t => t >= kill.RestartedAt);
            if (next >= 0)
            {
                recovery.Add(new Recovery(kill.Target, (progress[next] - kill.RestartedAt).TotalSeconds));
            }
        }

        var final = builds.Values.ToList();
        return new ScenarioFigures(
            name,
            ids.Count,
            final.Count(b => b.StateValue == BuildState.Succeeded),
            final.Count(b => b.StateValue == BuildState.Failed && IsAttemptLimit(b)),
            final.Count(b => b.StateValue is BuildState.Failed or BuildState.Canceled && !IsAttemptLimit(b)),
            final.Count(b => b.StateValue == BuildState.Queued),
            lost,
            twice,
            final.Sum(b => Math.Max(0, b.Attempt - 1)),
            final.Count == 0 ? 0 : final.Max(b => b.Attempt),
            leftovers,
            kills,
            recovery,
            duration,
            findings,
            builds.Values.Where(b => b.Attempt > 1 || histories[b.Id].Any(e => e.Kind == "requeued"))
                .Select(b => $"build {b.Id} ({b.Package}) {b.State}, attempt {b.Attempt}: {Describe(histories[b.Id])}").ToList());
    }

    /// <summary>A failure that came from the attempt limit (workers lost too often), not from the package.</summary>
    public static bool IsAttemptLimit(BuildDto build) =>
        build.StateValue == BuildState.Failed && build.Reason?.Contains("giving up after", StringComparison.Ordinal) == true;

    /// <summary>A history on one line.</summary>
    public static string Describe(IEnumerable<BuildEventDto> history) =>
        string.Join(" | ", history.Select(e => $"{e.At:HH:mm:ss.fff} {e.Kind} {e.State} {e.Worker} {e.Detail}".TrimEnd()));

    private static async Task<Dictionary<long, BuildDto>> ListAsync(ForgelineClient client, int count)
    {
        var page = await client.ListBuildsAsync(limit: Math.Max(50, count + 10));
        return page.Items.ToDictionary(b => b.Id);
    }
}
