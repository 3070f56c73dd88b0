namespace Forgeline.Bot.Forges.Gitee;

/// <summary>Assignees, reviewers and membership.</summary>
public sealed partial class GiteeClient
{
    /// <inheritdoc />
    /// <remarks>On a pull request these are Gitee's assignees, who review it; on an issue the first becomes its assignee when it has none, the rest its collaborators.</remarks>
    public async Task AddAssigneesAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken)
    {
        if (logins.Count == 0)
        {
            return;
        }

        if (!IssueNumbering.IsIssue(number))
        {
            await http.SendAsync(HttpMethod.Post, $"{Pull(repo, number)}/assignees", new { assignees = string.Join(',', logins) }, false, cancellationToken);
            return;
        }

        var issue = await http.GetAsync(Issue(repo, number), cancellationToken);
        var assignee = issue.TextIn("assignee", "login");
        var collaborators = issue.TextsOf("collaborators", "login").ToList();
        foreach (var login in logins)
        {
            if (assignee is null)
            {
                assignee = login;
            }
            else if (login != assignee && !collaborators.Contains(login, StringComparer.Ordinal))
            {
                collaborators.Add(login);
            }
        }

        await UpdateIssuePeopleAsync(repo, number, assignee, collaborators, cancellationToken);
    }

    /// <inheritdoc />
    public async Task RemoveAssigneesAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken)
    {
        if (logins.Count == 0)
        {
            return;
        }

        if (!IssueNumbering.IsIssue(number))
        {
            await http.SendAsync(HttpMethod.Delete, $"{Pull(repo, number)}/assignees?assignees={Uri.EscapeDataString(string.Join(',', logins))}", null, false, cancellationToken);
            return;
        }

        var issue = await http.GetAsync(Issue(repo, number), cancellationToken);
        var assignee = issue.TextIn("assignee", "login");
        var collaborators = issue.TextsOf("collaborators", "login").ToList();
        var removed = collaborators.RemoveAll(c => logins.Contains(c, StringComparer.Ordinal)) > 0;
        if (assignee is not null && logins.Contains(assignee, StringComparer.Ordinal))
        {
            assignee = null;
            removed = true;
        }

        if (removed)
        {
            await UpdateIssuePeopleAsync(repo, number, assignee, collaborators, cancellationToken);
        }
    }

    /// <inheritdoc />
    /// <remarks>Gitee's reviewers of a pull request are its assignees, so this adds assignees.</remarks>
    public Task RequestReviewersAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken) =>
        IssueNumbering.IsIssue(number)
            ? throw new ArgumentOutOfRangeException(nameof(number), number, "Requesting reviewers needs a pull request; this number names a Gitee issue.")
            : AddAssigneesAsync(repo, number, logins, cancellationToken);

    /// <inheritdoc />
    /// <remarks>A collaborator is a repository member whose permission is <c>admin</c> or <c>write</c>; read-only members are not.</remarks>
    public async Task<bool> IsCollaboratorAsync(RepoRef repo, string login, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(HttpMethod.Get, $"{Repo(repo)}/collaborators/{Uri.EscapeDataString(login)}/permission", null, true, cancellationToken);
        return response.StatusCode != 404 && response.Body.Text("permission") is "admin" or "write";
    }

    /// <inheritdoc />
    /// <remarks>Gitee shows an organisation's memberships only to its members: the bot's account must belong to it.</remarks>
    public async Task<bool> IsOrgMemberAsync(Forge forge, string organisation, string login, CancellationToken cancellationToken)
    {
        if (forge != Forge.Gitee)
        {
            throw new ArgumentException($"This client speaks to Gitee, not {forge}.", nameof(forge));
        }

        var response = await http.SendAsync(
            HttpMethod.Get,
            $"orgs/{Uri.EscapeDataString(organisation)}/memberships/{Uri.EscapeDataString(login)}",
            null,
            true,
            cancellationToken);
        return response.StatusCode != 404 && response.Body.Flag("active") != false;
    }

    /// <summary>Sets an issue's assignee (an empty string clears it) and collaborators (a comma-separated list).</summary>
    private async Task UpdateIssuePeopleAsync(RepoRef repo, int number, string? assignee, List<string> collaborators, CancellationToken cancellationToken) =>
        await http.SendAsync(
            HttpMethod.Patch,
            IssueUpdate(repo, number),
            new { repo = repo.Name, assignee = assignee ?? "", collaborators = string.Join(',', collaborators) },
            false,
            cancellationToken);
}
