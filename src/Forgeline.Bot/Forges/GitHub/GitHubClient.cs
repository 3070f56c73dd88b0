using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Forges.GitHub;

/// <summary>The bot's calls on GitHub's REST API v3 (github.com or GitHub Enterprise), over <see cref="ForgeHttp"/>.</summary>
public sealed class GitHubClient : IForgeClient
{
    /// <summary>The REST API version the client is written against (sent as <c>X-GitHub-Api-Version</c>).</summary>
    public const string ApiVersion = "2022-11-28";

    // GitHub refuses a status description longer than this.
    private const int MaxStatusDescription = 140;

    private readonly ForgeHttp http;

    /// <summary>Creates a client that sends <c>Authorization: Bearer</c> with <see cref="ForgeClientOptions.Token"/>.</summary>
    public GitHubClient(HttpClient httpClient, ForgeClientOptions options, TimeProvider? time = null, ForgeMetrics? metrics = null, ILogger<ForgeHttp>? logger = null)
    {
        http = new ForgeHttp(Forge.GitHub, httpClient, options, Authorize, time, metrics, logger);

        void Authorize(HttpRequestMessage request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
            request.Headers.Accept.Clear();
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
            request.Headers.Add("X-GitHub-Api-Version", ApiVersion);
        }
    }

    /// <inheritdoc />
    public Forge Forge => Forge.GitHub;

    /// <inheritdoc />
    public async Task<IssueInfo> GetIssueAsync(RepoRef repo, int number, CancellationToken cancellationToken)
    {
        var issue = await http.GetAsync($"{Repo(repo)}/issues/{number}", cancellationToken);
        var isPull = issue.TryGetProperty("pull_request", out var pullLink) && pullLink.ValueKind == JsonValueKind.Object;
        var info = new IssueInfo(
            number,
            isPull,
            Login(issue.GetProperty("user")),
            Text(issue, "title"),
            Text(issue, "body"),
            Text(issue, "state"),
            issue.GetProperty("labels").EnumerateArray().Select(l => Text(l, "name")).ToList(),
            issue.GetProperty("assignees").EnumerateArray().Select(Login).ToList(),
            issue.TryGetProperty("milestone", out var milestone) && milestone.ValueKind == JsonValueKind.Object);
        if (!isPull)
        {
            return info;
        }

        // The issue does not carry the head, the base or mergeability: the pull request does.
        var pull = await http.GetAsync($"{Repo(repo)}/pulls/{number}", cancellationToken);
        return info with
        {
            State = pull.TryGetProperty("merged", out var merged) && merged.ValueKind == JsonValueKind.True ? "merged" : info.State,
            HeadSha = Text(pull.GetProperty("head"), "sha"),
            BaseRef = Text(pull.GetProperty("base"), "ref"),
            Mergeable = pull.TryGetProperty("mergeable", out var mergeable) && mergeable.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? mergeable.GetBoolean()
                : null,
        };
    }

    /// <inheritdoc />
    public async Task AddLabelsAsync(RepoRef repo, int number, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        if (labels.Count > 0)
        {
            await http.SendAsync(HttpMethod.Post, $"{Repo(repo)}/issues/{number}/labels", new { Labels = labels }, false, cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task RemoveLabelAsync(RepoRef repo, int number, string label, CancellationToken cancellationToken) =>
        // 404: the label was not on the issue, which is what the caller wanted.
        http.SendAsync(HttpMethod.Delete, $"{Repo(repo)}/issues/{number}/labels/{Uri.EscapeDataString(label)}", null, true, cancellationToken);

    /// <inheritdoc />
    public Task CreateCommentAsync(RepoRef repo, int number, string body, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Post, $"{Repo(repo)}/issues/{number}/comments", new { Body = body }, false, cancellationToken);

    /// <inheritdoc />
    public Task AddAssigneesAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken) =>
        logins.Count == 0 ? Task.CompletedTask
            : http.SendAsync(HttpMethod.Post, $"{Repo(repo)}/issues/{number}/assignees", new { Assignees = logins }, false, cancellationToken);

    /// <inheritdoc />
    public Task RemoveAssigneesAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken) =>
        logins.Count == 0 ? Task.CompletedTask
            : http.SendAsync(HttpMethod.Delete, $"{Repo(repo)}/issues/{number}/assignees", new { Assignees = logins }, false, cancellationToken);

    /// <inheritdoc />
    public Task RequestReviewersAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken) =>
        logins.Count == 0 ? Task.CompletedTask
            : http.SendAsync(HttpMethod.Post, $"{Repo(repo)}/pulls/{number}/requested_reviewers", new { Reviewers = logins }, false, cancellationToken);

    /// <inheritdoc />
    public Task CloseAsync(RepoRef repo, int number, bool isPullRequest, CancellationToken cancellationToken) =>
        SetStateAsync(repo, number, isPullRequest, "closed", cancellationToken);

    /// <inheritdoc />
    public Task ReopenAsync(RepoRef repo, int number, bool isPullRequest, CancellationToken cancellationToken) =>
        SetStateAsync(repo, number, isPullRequest, "open", cancellationToken);

    /// <inheritdoc />
    public async Task<bool> IsCollaboratorAsync(RepoRef repo, string login, CancellationToken cancellationToken) =>
        (await http.SendAsync(HttpMethod.Get, $"{Repo(repo)}/collaborators/{Uri.EscapeDataString(login)}", null, true, cancellationToken)).StatusCode == 204;

    /// <inheritdoc />
    public async Task<bool> IsOrgMemberAsync(Forge forge, string organisation, string login, CancellationToken cancellationToken)
    {
        if (forge != Forge.GitHub)
        {
            throw new ArgumentException($"The GitHub client cannot check membership on {forge}.", nameof(forge));
        }

        var path = $"orgs/{Uri.EscapeDataString(organisation)}/members/{Uri.EscapeDataString(login)}";
        return (await http.SendAsync(HttpMethod.Get, path, null, true, cancellationToken)).StatusCode == 204;
    }

    /// <inheritdoc />
    public async Task<string?> GetFileAsync(RepoRef repo, string path, string gitRef, CancellationToken cancellationToken)
    {
        var escapedPath = string.Join('/', path.Trim('/').Split('/').Select(Uri.EscapeDataString));
        var response = await http.SendAsync(HttpMethod.Get, gitRef.Length == 0 ? $"{Repo(repo)}/contents/{escapedPath}" : $"{Repo(repo)}/contents/{escapedPath}?ref={Uri.EscapeDataString(gitRef)}", null, true, cancellationToken);
        // 404: no such file (or ref); a list: a directory, which is not a file either.
        if (response.StatusCode == 404 || response.Body.ValueKind != JsonValueKind.Object || Text(response.Body, "type") != "file")
        {
            return null;
        }

        if (Text(response.Body, "encoding") != "base64")
        {
            // Files over 1 MB come back without content; the bot's files (OWNERS, configuration) are small.
            throw new ForgeApiException($"GitHub sent {path} at {gitRef} in {repo} without its content (encoding '{Text(response.Body, "encoding")}'); files over 1 MB are not supported.");
        }

        var base64 = Text(response.Body, "content").Replace("\n", "", StringComparison.Ordinal);
        return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetChangedFilesAsync(RepoRef repo, int number, CancellationToken cancellationToken)
    {
        var files = await http.GetAllPagesAsync($"{Repo(repo)}/pulls/{number}/files", cancellationToken);
        return files
            .SelectMany(f => f.TryGetProperty("previous_filename", out var previous) && previous.ValueKind == JsonValueKind.String
                ? new[] { Text(f, "filename"), previous.GetString()! }
                : [Text(f, "filename")])
            .Distinct()
            .ToList();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CommitInfo>> GetCommitsAsync(RepoRef repo, int number, CancellationToken cancellationToken)
    {
        var commits = await http.GetAllPagesAsync($"{Repo(repo)}/pulls/{number}/commits", cancellationToken);
        return commits.Select(c =>
        {
            var author = c.GetProperty("commit").GetProperty("author");
            // "author" at the top is the GitHub account, null when the e-mail matches none.
            var login = c.TryGetProperty("author", out var account) && account.ValueKind == JsonValueKind.Object ? Login(account) : null;
            return new CommitInfo(Text(c, "sha"), Text(author, "name"), Text(author, "email"), login);
        }).ToList();
    }

    /// <inheritdoc />
    public Task SetStatusAsync(RepoRef repo, string sha, CommitStatus status, CancellationToken cancellationToken)
    {
        var description = status.Description.Length <= MaxStatusDescription ? status.Description : status.Description[..(MaxStatusDescription - 1)] + "…";
        var body = new { State = StateWord(status.State), TargetUrl = status.TargetUrl, Description = description, Context = status.Context };
        return http.SendAsync(HttpMethod.Post, $"{Repo(repo)}/statuses/{Uri.EscapeDataString(sha)}", body, false, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CommitStatus>> GetStatusesAsync(RepoRef repo, string sha, CancellationToken cancellationToken)
    {
        // The combined status already holds only the latest status of each context.
        var combined = await http.GetAsync($"{Repo(repo)}/commits/{Uri.EscapeDataString(sha)}/status?per_page=100", cancellationToken);
        return combined.GetProperty("statuses").EnumerateArray()
            .Select(s => new CommitStatus(
                Text(s, "context"),
                ParseState(Text(s, "state")),
                Text(s, "description"),
                s.TryGetProperty("target_url", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() : null))
            .ToList();
    }

    /// <inheritdoc />
    public Task MergeAsync(RepoRef repo, int number, string headSha, MergeMethod method, CancellationToken cancellationToken) =>
        // 405 (not mergeable) and 409 (head moved) come back as ForgeApiException with GitHub's message.
        http.SendAsync(HttpMethod.Put, $"{Repo(repo)}/pulls/{number}/merge", new { Sha = headSha, MergeMethod = method.ToString().ToLowerInvariant() }, false, cancellationToken);

    private Task SetStateAsync(RepoRef repo, int number, bool isPullRequest, string state, CancellationToken cancellationToken) =>
        http.SendAsync(HttpMethod.Patch, $"{Repo(repo)}/{(isPullRequest ? "pulls" : "issues")}/{number}", new { State = state }, false, cancellationToken);

    private static string Repo(RepoRef repo)
    {
        if (repo.Forge != Forge.GitHub)
        {
            throw new ArgumentException($"The GitHub client was given a {repo.Forge} repository ({repo}).", nameof(repo));
        }

        return $"repos/{Uri.EscapeDataString(repo.Owner)}/{Uri.EscapeDataString(repo.Name)}";
    }

    private static string Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string Login(JsonElement user) => Text(user, "login");

    private static string StateWord(CommitState state) => state switch
    {
        CommitState.Pending => "pending",
        CommitState.Success => "success",
        CommitState.Failure => "failure",
        _ => "error",
    };

    private static CommitState ParseState(string state) => state switch
    {
        "pending" => CommitState.Pending,
        "success" => CommitState.Success,
        "failure" => CommitState.Failure,
        _ => CommitState.Error,
    };
}
