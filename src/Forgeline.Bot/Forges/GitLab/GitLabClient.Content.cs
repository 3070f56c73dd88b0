using System.Text;

namespace Forgeline.Bot.Forges.GitLab;

/// <summary>Files, merge request changes and commits, commit statuses, merging.</summary>
public sealed partial class GitLabClient
{
    // GitLab refuses longer status names and descriptions.
    private const int MaxStatusText = 255;

    /// <inheritdoc />
    public async Task<string?> GetFileAsync(RepoRef repo, string path, string gitRef, CancellationToken cancellationToken)
    {
        // The JSON form (base64 content), not /raw: a 404 there is an answer, and the body is always JSON.
        var response = await http.SendAsync(
            HttpMethod.Get,
            $"{Project(repo)}/repository/files/{Uri.EscapeDataString(path)}?ref={Uri.EscapeDataString(gitRef.Length == 0 ? "HEAD" : gitRef)}",
            null,
            true,
            cancellationToken);
        if (response.StatusCode == 404)
        {
            return null;
        }

        var content = response.Body.Text("content") ?? "";
        return response.Body.Text("encoding") == "base64" ? Encoding.UTF8.GetString(Convert.FromBase64String(content)) : content;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetChangedFilesAsync(RepoRef repo, int number, CancellationToken cancellationToken)
    {
        var diffs = await http.GetAllPagesAsync($"{MergeRequest(repo, number, "Listing changed files")}/diffs", cancellationToken);
        var paths = new List<string>();
        foreach (var diff in diffs)
        {
            foreach (var path in new[] { diff.Text("old_path"), diff.Text("new_path") })
            {
                if (path is not null && !paths.Contains(path, StringComparer.Ordinal))
                {
                    paths.Add(path);
                }
            }
        }

        return paths;
    }

    /// <inheritdoc />
    /// <remarks>GitLab's commits carry the author's name and e-mail only, so <see cref="CommitInfo.AuthorLogin"/> is null.</remarks>
    public async Task<IReadOnlyList<CommitInfo>> GetCommitsAsync(RepoRef repo, int number, CancellationToken cancellationToken)
    {
        var commits = await http.GetAllPagesAsync($"{MergeRequest(repo, number, "Listing commits")}/commits", cancellationToken);
        return commits.Select(c => new CommitInfo(c.Text("id") ?? "", c.Text("author_name") ?? "", c.Text("author_email") ?? "", null)).ToList();
    }

    /// <inheritdoc />
    /// <remarks>
    /// GitLab refuses to set a status to the state it is already in ("Cannot transition status"); that answer is taken as
    /// done, though it leaves the earlier description and URL in place.
    /// </remarks>
    public async Task SetStatusAsync(RepoRef repo, string sha, CommitStatus status, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, object>
        {
            ["state"] = StatusState(status.State),
            ["name"] = Shorten(status.Context),
            ["description"] = Shorten(status.Description),
        };
        if (status.TargetUrl is not null)
        {
            body["target_url"] = status.TargetUrl;
        }

        try
        {
            await http.SendAsync(HttpMethod.Post, $"{Project(repo)}/statuses/{Uri.EscapeDataString(sha)}", body, false, cancellationToken);
        }
        catch (ForgeApiException e) when (e.StatusCode == 400 && e.Message.Contains("Cannot transition status", StringComparison.OrdinalIgnoreCase))
        {
            LogStatusUnchanged(repo.FullName, sha, status.Context, status.State);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CommitStatus>> GetStatusesAsync(RepoRef repo, string sha, CancellationToken cancellationToken)
    {
        // Without all=true GitLab lists the latest status of each name; keeping the newest per name guards older servers.
        var statuses = await http.GetAllPagesAsync($"{Project(repo)}/repository/commits/{Uri.EscapeDataString(sha)}/statuses", cancellationToken);
        return statuses
            .GroupBy(s => s.Text("name") ?? "", StringComparer.Ordinal)
            .Select(g => g.MaxBy(s => s.Number("id") ?? 0))
            .Select(s => new CommitStatus(s.Text("name") ?? "", StatusState(s.Text("status")), s.Text("description") ?? "", s.Text("target_url")))
            .ToList();
    }

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="MergeMethod.Merge"/> and <see cref="MergeMethod.Squash"/> merge by the project's merge method (a merge
    /// commit, or fast-forward when the project says so), with the head pinned by <c>sha</c>. <see cref="MergeMethod.Rebase"/>
    /// is not supported: GitLab rebases asynchronously and the rebased head is not the one the bot checked, so it would
    /// merge untested commits; set the project to fast-forward merges instead.
    /// </remarks>
    public async Task MergeAsync(RepoRef repo, int number, string headSha, MergeMethod method, CancellationToken cancellationToken)
    {
        var target = MergeRequest(repo, number, "Merging");
        if (method == MergeMethod.Rebase)
        {
            throw new ForgeApiException(
                $"GitLab merge request {repo.FullName}!{number} was not merged: the bot does not rebase on GitLab (the rebased head would be untested). Use merge or squash, or set the project's merge method to fast-forward.");
        }

        // 405 (draft, closed, pipeline required), 406/422 (conflict), 409 (head moved) come back as ForgeApiException with GitLab's message.
        await http.SendAsync(HttpMethod.Put, $"{target}/merge", new { sha = headSha, squash = method == MergeMethod.Squash }, false, cancellationToken);
    }

    private static string StatusState(CommitState state) => state switch
    {
        CommitState.Pending => "running",
        CommitState.Success => "success",
        CommitState.Failure => "failed",
        _ => "canceled",
    };

    private static CommitState StatusState(string? status) => status switch
    {
        "success" => CommitState.Success,
        "failed" => CommitState.Failure,
        "canceled" or "skipped" => CommitState.Error,
        _ => CommitState.Pending,
    };

    private static string Shorten(string text) => text.Length <= MaxStatusText ? text : text[..(MaxStatusText - 1)] + "…";
}
