using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Forgeline.Bot.Forges.GitLab;

/// <summary>
/// The bot's calls on GitLab REST v4 (gitlab.com or self-hosted; <see cref="ForgeClientOptions.ApiUrl"/> ends in
/// <c>/api/v4</c>), authenticated by the <c>PRIVATE-TOKEN</c> header. Projects are addressed by their URL-encoded full
/// path, so subgroups work. Merge requests keep their iid as number; issues, numbered apart on GitLab, are negative
/// (<see cref="IssueNumbering"/>). Users are named by username; the client looks their ids up (and remembers them) where
/// GitLab wants ids (assignees, reviewers, membership).
/// </summary>
public sealed partial class GitLabClient : IForgeClient
{
    private readonly ForgeHttp http;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, long> userIds = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a client that sends <see cref="ForgeClientOptions.Token"/> as the <c>PRIVATE-TOKEN</c> header; <paramref name="logger"/> also takes the client's own messages.</summary>
    public GitLabClient(HttpClient httpClient, ForgeClientOptions options, TimeProvider? time = null, ForgeMetrics? metrics = null, ILogger<ForgeHttp>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.logger = logger ?? NullLogger<ForgeHttp>.Instance;
        http = new ForgeHttp(Forge.GitLab, httpClient, options, request => request.Headers.Add("PRIVATE-TOKEN", options.Token), time, metrics, logger);
    }

    /// <inheritdoc />
    public Forge Forge => Forge.GitLab;

    /// <inheritdoc />
    public async Task<IssueInfo> GetIssueAsync(RepoRef repo, int number, CancellationToken cancellationToken)
    {
        var item = await http.GetAsync(Target(repo, number), cancellationToken);
        var isPullRequest = !IssueNumbering.IsIssue(number);
        return new IssueInfo(
            number,
            isPullRequest,
            item.TextIn("author", "username") ?? "",
            item.Text("title") ?? "",
            item.Text("description") ?? "",
            State(item.Text("state")),
            item.TextsOf("labels", "name"),
            item.TextsOf("assignees", "username"),
            item.Child("milestone") is not null,
            isPullRequest ? item.Text("sha") : null,
            isPullRequest ? item.Text("target_branch") : null,
            isPullRequest ? Mergeable(item) : null);
    }

    /// <inheritdoc />
    public async Task AddLabelsAsync(RepoRef repo, int number, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        if (labels.Count == 0)
        {
            return;
        }

        // GitLab creates project labels that do not exist yet, and keeps the ones already there.
        await http.SendAsync(HttpMethod.Put, Target(repo, number), new { add_labels = string.Join(',', labels) }, false, cancellationToken);
    }

    /// <inheritdoc />
    public async Task RemoveLabelAsync(RepoRef repo, int number, string label, CancellationToken cancellationToken) =>
        await http.SendAsync(HttpMethod.Put, Target(repo, number), new { remove_labels = label }, false, cancellationToken);

    /// <inheritdoc />
    public async Task CreateCommentAsync(RepoRef repo, int number, string body, CancellationToken cancellationToken) =>
        await http.SendAsync(HttpMethod.Post, $"{Target(repo, number)}/notes", new { body }, false, cancellationToken);

    /// <inheritdoc />
    public Task CloseAsync(RepoRef repo, int number, bool isPullRequest, CancellationToken cancellationToken) =>
        SetStateAsync(repo, number, isPullRequest, "close", cancellationToken);

    /// <inheritdoc />
    public Task ReopenAsync(RepoRef repo, int number, bool isPullRequest, CancellationToken cancellationToken) =>
        SetStateAsync(repo, number, isPullRequest, "reopen", cancellationToken);

    /// <summary>The project's path segment: its full path, URL-encoded (<c>group%2Fsub%2Fname</c>).</summary>
    private static string Project(RepoRef repo) => "projects/" + Uri.EscapeDataString(repo.FullName);

    /// <summary>The merge request (positive number) or issue (negative number) under its project.</summary>
    private static string Target(RepoRef repo, int number) => number switch
    {
        > 0 => $"{Project(repo)}/merge_requests/{number}",
        < 0 => $"{Project(repo)}/issues/{IssueNumbering.ToGitLabIssue(number)}",
        _ => throw new ArgumentOutOfRangeException(nameof(number), number, "0 names neither a merge request nor an issue."),
    };

    /// <summary>The merge request <paramref name="number"/>; issues are refused, they have no code.</summary>
    private static string MergeRequest(RepoRef repo, int number, string what) =>
        number > 0
            ? Target(repo, number)
            : throw new ArgumentOutOfRangeException(nameof(number), number, $"{what} needs a merge request; {number} names a GitLab issue.");

    private async Task SetStateAsync(RepoRef repo, int number, bool isPullRequest, string stateEvent, CancellationToken cancellationToken)
    {
        if (isPullRequest == IssueNumbering.IsIssue(number))
        {
            throw new ArgumentException(
                $"{number} names a GitLab {(IssueNumbering.IsIssue(number) ? "issue" : "merge request")}, but isPullRequest is {isPullRequest}; see IssueNumbering.",
                nameof(isPullRequest));
        }

        await http.SendAsync(HttpMethod.Put, Target(repo, number), new { state_event = stateEvent }, false, cancellationToken);
    }

    private static string State(string? state) => state switch
    {
        "opened" or "locked" => "open",
        "closed" => "closed",
        "merged" => "merged",
        _ => state ?? "open",
    };

    private static bool? Mergeable(JsonElement mergeRequest)
    {
        if (mergeRequest.Flag("has_conflicts") == true)
        {
            return false;
        }

        return mergeRequest.Text("detailed_merge_status") switch
        {
            "mergeable" => true,
            "conflict" or "broken_status" => false,
            _ => mergeRequest.Text("merge_status") switch
            {
                "can_be_merged" => true,
                "cannot_be_merged" => false,
                _ => null,
            },
        };
    }
}
