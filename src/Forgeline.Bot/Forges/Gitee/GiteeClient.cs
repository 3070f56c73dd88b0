using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Forgeline.Bot.Forges.Gitee;

/// <summary>
/// The bot's calls on Gitee API v5 (<see cref="ForgeClientOptions.ApiUrl"/> <c>https://gitee.com/api/v5</c>), with the
/// token sent as the <c>access_token</c> query parameter. Pull requests keep their number; Gitee names issues by strings
/// such as <c>I4CYEO</c>, which the bot carries as negative numbers (<see cref="IssueNumbering"/>): issues numbered
/// otherwise cannot be addressed. Gitee's pull request "assignees" are its reviewers, so assigning and requesting
/// reviews both set them; an issue has one assignee, and further people become its collaborators. Commit statuses are
/// Gitee check runs.
/// </summary>
public sealed partial class GiteeClient : IForgeClient
{
    // Gitee wants a colour for a new label: six hex digits.
    private const string NewLabelColour = "EDEDED";

    private readonly ForgeHttp http;
    private readonly TimeProvider time;

    /// <summary>Creates a client that sends <see cref="ForgeClientOptions.Token"/> as the <c>access_token</c> query parameter.</summary>
    public GiteeClient(HttpClient httpClient, ForgeClientOptions options, TimeProvider? time = null, ForgeMetrics? metrics = null, ILogger<ForgeHttp>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.time = time ?? TimeProvider.System;
        http = new ForgeHttp(Forge.Gitee, httpClient, options, request => AddToken(request, options.Token), this.time, metrics, logger);
    }

    /// <inheritdoc />
    public Forge Forge => Forge.Gitee;

    /// <inheritdoc />
    public async Task<IssueInfo> GetIssueAsync(RepoRef repo, int number, CancellationToken cancellationToken)
    {
        if (IssueNumbering.IsIssue(number))
        {
            var issue = await http.GetAsync(Issue(repo, number), cancellationToken);
            return new IssueInfo(
                number,
                false,
                issue.TextIn("user", "login") ?? "",
                issue.Text("title") ?? "",
                issue.Text("body") ?? "",
                IssueState(issue.Text("state")),
                issue.TextsOf("labels", "name"),
                IssuePeople(issue),
                issue.Child("milestone") is not null);
        }

        var pull = await http.GetAsync(Pull(repo, number), cancellationToken);
        return new IssueInfo(
            number,
            true,
            pull.TextIn("user", "login") ?? "",
            pull.Text("title") ?? "",
            pull.Text("body") ?? "",
            pull.Text("state") ?? "open",
            pull.TextsOf("labels", "name"),
            pull.TextsOf("assignees", "login"),
            pull.Child("milestone") is not null,
            pull.TextIn("head", "sha"),
            pull.TextIn("base", "ref"),
            pull.Flag("mergeable"));
    }

    /// <inheritdoc />
    /// <remarks>Labels the repository lacks are created first (Gitee only attaches existing ones).</remarks>
    public async Task AddLabelsAsync(RepoRef repo, int number, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        if (labels.Count == 0)
        {
            return;
        }

        var existing = (await http.GetAllPagesAsync($"{Repo(repo)}/labels", cancellationToken)).Select(l => l.Text("name")).ToHashSet(StringComparer.Ordinal);
        foreach (var label in labels.Where(l => !existing.Contains(l)).Distinct(StringComparer.Ordinal))
        {
            await http.SendAsync(HttpMethod.Post, $"{Repo(repo)}/labels", new { name = label, color = NewLabelColour }, false, cancellationToken);
        }

        await http.SendAsync(HttpMethod.Post, $"{Item(repo, number)}/labels", labels.ToArray(), false, cancellationToken);
    }

    /// <inheritdoc />
    public async Task RemoveLabelAsync(RepoRef repo, int number, string label, CancellationToken cancellationToken) =>
        // A label that is not there answers 404: nothing to remove.
        await http.SendAsync(HttpMethod.Delete, $"{Item(repo, number)}/labels/{Uri.EscapeDataString(label)}", null, true, cancellationToken);

    /// <inheritdoc />
    public async Task CreateCommentAsync(RepoRef repo, int number, string body, CancellationToken cancellationToken) =>
        await http.SendAsync(HttpMethod.Post, $"{Item(repo, number)}/comments", new { body }, false, cancellationToken);

    /// <inheritdoc />
    public Task CloseAsync(RepoRef repo, int number, bool isPullRequest, CancellationToken cancellationToken) =>
        SetStateAsync(repo, number, isPullRequest, "closed", cancellationToken);

    /// <inheritdoc />
    public Task ReopenAsync(RepoRef repo, int number, bool isPullRequest, CancellationToken cancellationToken) =>
        SetStateAsync(repo, number, isPullRequest, "open", cancellationToken);

    private async Task SetStateAsync(RepoRef repo, int number, bool isPullRequest, string state, CancellationToken cancellationToken)
    {
        if (isPullRequest == IssueNumbering.IsIssue(number))
        {
            throw new ArgumentException(
                $"{number} names a Gitee {(IssueNumbering.IsIssue(number) ? "issue" : "pull request")}, but isPullRequest is {isPullRequest}; see IssueNumbering.",
                nameof(isPullRequest));
        }

        if (isPullRequest)
        {
            await http.SendAsync(HttpMethod.Patch, Pull(repo, number), new { state }, false, cancellationToken);
        }
        else
        {
            await http.SendAsync(HttpMethod.Patch, IssueUpdate(repo, number), new { repo = repo.Name, state }, false, cancellationToken);
        }
    }

    private static void AddToken(HttpRequestMessage request, string token)
    {
        var uri = request.RequestUri!;
        var separator = string.IsNullOrEmpty(uri.Query) ? "?" : "&";
        request.RequestUri = new Uri(uri.AbsoluteUri + separator + "access_token=" + Uri.EscapeDataString(token));
    }

    private static string Repo(RepoRef repo) => $"repos/{Uri.EscapeDataString(repo.Owner)}/{Uri.EscapeDataString(repo.Name)}";

    /// <summary>The pull request (positive number) or issue (negative number).</summary>
    private static string Item(RepoRef repo, int number) => IssueNumbering.IsIssue(number) ? Issue(repo, number) : Pull(repo, number);

    private static string Pull(RepoRef repo, int number) =>
        number > 0 ? $"{Repo(repo)}/pulls/{number}" : throw new ArgumentOutOfRangeException(nameof(number), number, "Gitee pull requests have positive numbers.");

    private static string Issue(RepoRef repo, int number) => $"{Repo(repo)}/issues/{Uri.EscapeDataString(IssueNumbering.ToGiteeIssue(number))}";

    /// <summary>Gitee updates issues under the owner alone, naming the repository in the body.</summary>
    private static string IssueUpdate(RepoRef repo, int number) =>
        $"repos/{Uri.EscapeDataString(repo.Owner)}/issues/{Uri.EscapeDataString(IssueNumbering.ToGiteeIssue(number))}";

    private static string IssueState(string? state) => state switch
    {
        "open" or "progressing" => "open",
        "closed" or "rejected" => "closed",
        _ => state ?? "open",
    };

    /// <summary>An issue's people: its one assignee, then its collaborators.</summary>
    private static List<string> IssuePeople(JsonElement issue)
    {
        var people = new List<string>();
        if (issue.TextIn("assignee", "login") is { } assignee)
        {
            people.Add(assignee);
        }

        people.AddRange(issue.TextsOf("collaborators", "login").Where(c => !people.Contains(c, StringComparer.Ordinal)));
        return people;
    }
}
