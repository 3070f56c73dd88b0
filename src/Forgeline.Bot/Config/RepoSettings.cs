using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Config;

/// <summary>The effective settings of one repository, with the defaults filled in.</summary>
public sealed class RepoSettings(RepoRef repo, BotConfig config, RepoConfig repoConfig)
{
    /// <summary>The repository.</summary>
    public RepoRef Repo => repo;

    /// <summary>The whole configuration.</summary>
    public BotConfig Config => config;

    /// <summary>The enabled plugins.</summary>
    public IReadOnlySet<string> Plugins { get; } = (repoConfig.Plugins ?? []).ToHashSet(StringComparer.Ordinal);

    /// <summary>The CLA labels.</summary>
    public string ClaYesLabel => $"{config.Community}-cla/yes";

    /// <summary>The CLA "not signed" label.</summary>
    public string ClaNoLabel => $"{config.Community}-cla/no";

    /// <summary>How pull requests are merged.</summary>
    public MergeMethod MergeMethod => Enum.TryParse<MergeMethod>(repoConfig.Merge?.Method, ignoreCase: true, out var m) ? m : MergeMethod.Merge;

    /// <summary>Labels a pull request needs to merge.</summary>
    public IReadOnlyList<string> RequiredLabels => repoConfig.Merge?.RequiredLabels
        ?? ["lgtm", "approved", .. Plugins.Contains("cla") ? [ClaYesLabel] : Array.Empty<string>()];

    /// <summary>Labels that stop a merge.</summary>
    public IReadOnlyList<string> BlockingLabels => repoConfig.Merge?.BlockingLabels
        ?? ["do-not-merge/hold", "do-not-merge/work-in-progress", "needs-rebase", "needs-issue", ClaNoLabel];

    /// <summary>The CI jobs.</summary>
    public IReadOnlyList<JobConfig> Jobs => repoConfig.Jobs ?? [];

    /// <summary>Status contexts that must be green on the head to merge.</summary>
    public IReadOnlyList<string> RequiredContexts => repoConfig.Merge?.RequiredContexts
        ?? [.. Jobs.Where(j => j.Required).Select(j => ContextOf(j.Name))];

    /// <summary>The status context of a job.</summary>
    public static string ContextOf(string job) => $"forgeline/{job}";
}
