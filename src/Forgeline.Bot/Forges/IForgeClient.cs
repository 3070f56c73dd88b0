namespace Forgeline.Bot.Forges;

/// <summary>Reads an issue or pull request.</summary>
public interface IIssueReader
{
    /// <summary>The issue or pull request <paramref name="number"/>; throws <see cref="ForgeApiException"/> (404) when there is none.</summary>
    Task<IssueInfo> GetIssueAsync(RepoRef repo, int number, CancellationToken cancellationToken);
}

/// <summary>Labels of issues and pull requests.</summary>
public interface IIssueLabels
{
    /// <summary>Adds labels (creating them on the repository when the forge needs that); labels already there are kept.</summary>
    Task AddLabelsAsync(RepoRef repo, int number, IReadOnlyList<string> labels, CancellationToken cancellationToken);

    /// <summary>Removes a label; removing one that is not there is not an error.</summary>
    Task RemoveLabelAsync(RepoRef repo, int number, string label, CancellationToken cancellationToken);
}

/// <summary>Comments on issues and pull requests.</summary>
public interface IIssueComments
{
    /// <summary>Adds a comment (Markdown).</summary>
    Task CreateCommentAsync(RepoRef repo, int number, string body, CancellationToken cancellationToken);
}

/// <summary>Assignees and review requests.</summary>
public interface IIssueAssignees
{
    /// <summary>Assigns people.</summary>
    Task AddAssigneesAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken);

    /// <summary>Unassigns people.</summary>
    Task RemoveAssigneesAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken);

    /// <summary>Requests reviews from people on a pull request (<c>/cc</c>).</summary>
    Task RequestReviewersAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken);
}

/// <summary>Opens and closes issues and pull requests.</summary>
public interface IIssueState
{
    /// <summary>Closes it.</summary>
    Task CloseAsync(RepoRef repo, int number, bool isPullRequest, CancellationToken cancellationToken);

    /// <summary>Reopens it.</summary>
    Task ReopenAsync(RepoRef repo, int number, bool isPullRequest, CancellationToken cancellationToken);
}

/// <summary>Who belongs to a repository or organisation.</summary>
public interface IRepoMembership
{
    /// <summary>Whether <paramref name="login"/> is a collaborator (member with write access) of the repository.</summary>
    Task<bool> IsCollaboratorAsync(RepoRef repo, string login, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="login"/> is a member of the organisation (GitLab: group).</summary>
    Task<bool> IsOrgMemberAsync(Forge forge, string organisation, string login, CancellationToken cancellationToken);
}

/// <summary>Files and commits of repositories and pull requests.</summary>
public interface IRepoContent
{
    /// <summary>A file's text at <paramref name="gitRef"/> (the default branch when empty); null when it does not exist.</summary>
    Task<string?> GetFileAsync(RepoRef repo, string path, string gitRef, CancellationToken cancellationToken);

    /// <summary>The paths a pull request changes (both sides of a rename).</summary>
    Task<IReadOnlyList<string>> GetChangedFilesAsync(RepoRef repo, int number, CancellationToken cancellationToken);

    /// <summary>The commits of a pull request.</summary>
    Task<IReadOnlyList<CommitInfo>> GetCommitsAsync(RepoRef repo, int number, CancellationToken cancellationToken);
}

/// <summary>Commit statuses.</summary>
public interface ICommitStatuses
{
    /// <summary>Sets a context's status on a commit.</summary>
    Task SetStatusAsync(RepoRef repo, string sha, CommitStatus status, CancellationToken cancellationToken);

    /// <summary>The latest status of every context on a commit.</summary>
    Task<IReadOnlyList<CommitStatus>> GetStatusesAsync(RepoRef repo, string sha, CancellationToken cancellationToken);
}

/// <summary>Merges pull requests.</summary>
public interface IPullMerger
{
    /// <summary>Merges the pull request if its head is still <paramref name="headSha"/>; throws <see cref="ForgeApiException"/> when the forge refuses.</summary>
    Task MergeAsync(RepoRef repo, int number, string headSha, MergeMethod method, CancellationToken cancellationToken);
}

/// <summary>
/// Everything the bot calls on a forge. Plugins never take this whole: each takes the two or three narrow interfaces it
/// needs, so their tests stay small. One implementation per forge (<c>GitHubClient</c>, <c>GiteeClient</c>, <c>GitLabClient</c>).
/// </summary>
public interface IForgeClient : IIssueReader, IIssueLabels, IIssueComments, IIssueAssignees, IIssueState, IRepoMembership, IRepoContent, ICommitStatuses, IPullMerger
{
    /// <summary>The forge this client talks to.</summary>
    Forge Forge { get; }
}
