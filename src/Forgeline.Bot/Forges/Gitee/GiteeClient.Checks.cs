using System.Globalization;
using System.Text.Json;

namespace Forgeline.Bot.Forges.Gitee;

/// <summary>
/// Commit statuses as Gitee check runs (<c>POST /repos/{owner}/{repo}/check-runs</c>, <c>GET .../commits/{ref}/check-runs</c>):
/// Gitee has no GitHub-style status API. A status's context is the check's name, its description the check's output
/// title and summary, its URL the check's details URL. Each status set is a new check run; reading keeps the newest
/// run of each name. Runs are not tied to a pull request (the bot knows only the commit).
/// </summary>
public sealed partial class GiteeClient
{
    private const int CheckPageSize = 100;
    private const int MaxCheckPages = 100;

    /// <inheritdoc />
    public async Task SetStatusAsync(RepoRef repo, string sha, CommitStatus status, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var description = status.Description.Length > 0 ? status.Description : status.Context;
        var body = new Dictionary<string, object>
        {
            ["name"] = status.Context,
            ["head_sha"] = sha,
            ["output"] = new Dictionary<string, object> { ["title"] = description, ["summary"] = description },
        };
        if (status.State == CommitState.Pending)
        {
            body["status"] = "in_progress";
            body["started_at"] = now;
        }
        else
        {
            body["status"] = "completed";
            body["conclusion"] = status.State switch
            {
                CommitState.Success => "success",
                CommitState.Failure => "failure",
                _ => "cancelled",
            };
            body["completed_at"] = now;
        }

        if (status.TargetUrl is not null)
        {
            body["details_url"] = status.TargetUrl;
        }

        await http.SendAsync(HttpMethod.Post, $"{Repo(repo)}/check-runs", body, false, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CommitStatus>> GetStatusesAsync(RepoRef repo, string sha, CancellationToken cancellationToken)
    {
        var runs = new List<JsonElement>();
        for (var page = 1; page <= MaxCheckPages; page++)
        {
            var answer = await http.GetAsync(
                $"{Repo(repo)}/commits/{Uri.EscapeDataString(sha)}/check-runs?filter=latest&per_page={CheckPageSize}&page={page}",
                cancellationToken);

            // A bare list, or GitHub's envelope {"total_count": n, "check_runs": [...]}: accept either.
            var items = answer.ValueKind == JsonValueKind.Array ? answer.EnumerateArray().ToList() : answer.Items("check_runs").ToList();
            runs.AddRange(items);
            if (items.Count < CheckPageSize)
            {
                break;
            }
        }

        return runs
            .GroupBy(r => r.Text("name") ?? "", StringComparer.Ordinal)
            .Select(g => g.MaxBy(r => r.Number("id") ?? 0))
            .Select(r => new CommitStatus(
                r.Text("name") ?? "",
                CheckState(r.Text("status"), r.Text("conclusion")),
                r.TextIn("output", "title") ?? r.TextIn("output", "summary") ?? "",
                r.Text("details_url")))
            .ToList();
    }

    private static CommitState CheckState(string? status, string? conclusion) =>
        status != "completed"
            ? CommitState.Pending
            : conclusion switch
            {
                "success" or "neutral" or "skipped" => CommitState.Success,
                "failure" => CommitState.Failure,
                _ => CommitState.Error,
            };
}
