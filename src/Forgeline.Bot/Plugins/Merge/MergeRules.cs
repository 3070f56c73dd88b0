using Forgeline.Bot.Config;
using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Plugins.Merge;

/// <summary>
/// When a pull request may merge: it has every required label, none of the blocking labels, every required status context
/// is success on its head, and the forge does not report a conflict. The same rules for every repository; the settings
/// say which labels and contexts.
/// </summary>
public static class MergeRules
{
    /// <summary>What a ready pull request's status says.</summary>
    public const string ReadyText = "ready to merge";

    /// <summary>Judges a pull request from its labels, the forge's mergeable flag and the latest statuses of its head.</summary>
    public static MergeVerdict Judge(IReadOnlyCollection<string> labels, bool? mergeable, IReadOnlyList<CommitStatus> headStatuses, RepoSettings settings)
    {
        var has = labels.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var parts = new List<string>();
        if (settings.RequiredLabels.Where(l => !has.Contains(l)).ToList() is { Count: > 0 } missing)
        {
            parts.Add($"needs {string.Join(", ", missing)}");
        }

        var blocking = settings.BlockingLabels.Where(has.Contains).ToList();
        if (blocking.Count > 0)
        {
            parts.Add($"blocked by {string.Join(", ", blocking)}");
        }

        if (mergeable == false && !blocking.Contains(Labels.NeedsRebase, StringComparer.OrdinalIgnoreCase))
        {
            parts.Add("conflicts with its base branch");
        }

        var latest = headStatuses.GroupBy(s => s.Context, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().State, StringComparer.Ordinal);
        var contexts = settings.RequiredContexts.Select(c => (Context: c, State: latest.TryGetValue(c, out var s) ? s : (CommitState?)null)).ToList();
        if (contexts.Where(c => c.State is CommitState.Failure or CommitState.Error).ToList() is { Count: > 0 } failing)
        {
            parts.Add($"failing {string.Join(", ", failing.Select(c => $"{c.Context} ({NameOf(c.State)})"))}");
        }

        if (contexts.Where(c => c.State is null or CommitState.Pending).ToList() is { Count: > 0 } waiting)
        {
            parts.Add($"waiting for {string.Join(", ", waiting.Select(c => $"{c.Context} ({NameOf(c.State)})"))}");
        }

        return parts.Count == 0 ? new MergeVerdict(true, ReadyText) : new MergeVerdict(false, Jobs.JobRuns.Clip(string.Join("; ", parts)));
    }

    private static string NameOf(CommitState? state) => state is { } s ? s.ToString().ToLowerInvariant() : "missing";
}
