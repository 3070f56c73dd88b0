using System.Diagnostics.CodeAnalysis;
using Forgeline.Bot.Forges;
using Forgeline.Bot.State;
using Forgeline.Data.Entities;

namespace Forgeline.Bot.Jobs;

/// <summary>The words <c>bot_job_runs</c> stores, the links the bot gives people, and text limits of commit statuses.</summary>
internal static class JobRuns
{
    /// <summary>A job built on Forgeline's build farm.</summary>
    public const string Farm = "farm";

    /// <summary>A job started by a POST to its URL.</summary>
    public const string Url = "url";

    /// <summary>The longest description a commit status takes (GitHub's limit; Gitee and GitLab take at least as much).</summary>
    public const int MaxDescription = 140;

    /// <summary>The stored name of a state: pending, success, failure, error.</summary>
    public static string NameOf(CommitState state) => state.ToString().ToLowerInvariant();

    /// <summary>Reads a state written exactly as <see cref="NameOf"/> writes it.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out CommitState state)
    {
        foreach (var candidate in Enum.GetValues<CommitState>())
        {
            if (NameOf(candidate) == text)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>The repository of a run; null when its forge is not one the bot knows.</summary>
    public static RepoRef? RepoOf(BotJobRunRecord run)
    {
        var slash = run.Repository.LastIndexOf('/');
        return slash > 0 && Enum.TryParse<Forge>(run.Forge, ignoreCase: true, out var forge) && BotPullStore.ForgeName(forge) == run.Forge
            ? new RepoRef(forge, run.Repository[..slash], run.Repository[(slash + 1)..])
            : null;
    }

    /// <summary>The build's page, or null without a public URL.</summary>
    public static string? BuildUrl(string? publicUrl, long buildId) => Under(publicUrl, $"/builds/{buildId}");

    /// <summary>The build's log, or null without a public URL.</summary>
    public static string? BuildLogUrl(string? publicUrl, long buildId) => Under(publicUrl, $"/api/v1/builds/{buildId}/log");

    /// <summary>Where a URL job reports its state, or null without a public URL.</summary>
    public static string? ReportUrl(string? publicUrl, long runId) => Under(publicUrl, $"/api/v1/bot/jobs/{runId}/status");

    /// <summary>The first seven characters of a commit id, as people read them.</summary>
    public static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    /// <summary><paramref name="text"/> on one line and at most <paramref name="max"/> characters (an ellipsis marks a cut).</summary>
    public static string Clip(string text, int max = MaxDescription)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }

    private static string? Under(string? publicUrl, string path) =>
        string.IsNullOrWhiteSpace(publicUrl) ? null : publicUrl.TrimEnd('/') + path;
}
