using System.Collections.Concurrent;
using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Tests.Plugins;

/// <summary>
/// An in-memory forge for plugin tests: one repository's issues, files, members and statuses, and every call a plugin made
/// (<see cref="Calls"/>, e.g. "AddLabels #1 lgtm"). The HTTP clients are tested against the fake forge server instead.
/// </summary>
public sealed class MemoryForge(Forge forge = Forge.GitHub) : IForgeClient
{
    /// <summary>Issues and pull requests by number.</summary>
    public ConcurrentDictionary<int, IssueInfo> Issues { get; } = new();

    /// <summary>Files by path (any ref).</summary>
    public ConcurrentDictionary<string, string> Files { get; } = new();

    /// <summary>Changed files per pull request.</summary>
    public ConcurrentDictionary<int, IReadOnlyList<string>> ChangedFiles { get; } = new();

    /// <summary>Commits per pull request.</summary>
    public ConcurrentDictionary<int, IReadOnlyList<CommitInfo>> Commits { get; } = new();

    /// <summary>Repository collaborators (lower case).</summary>
    public HashSet<string> Collaborators { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Organisation members (lower case).</summary>
    public HashSet<string> OrgMembers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Statuses per sha, by context.</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, CommitStatus>> Statuses { get; } = new();

    /// <summary>Comments per number.</summary>
    public ConcurrentDictionary<int, List<string>> Comments { get; } = new();

    /// <summary>Every call, as "Method #number args".</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>When set, MergeAsync throws this.</summary>
    public ForgeApiException? MergeFailure { get; set; }

    /// <summary>When set, SetStatusAsync throws this (a forge that is down or refuses).</summary>
    public ForgeApiException? StatusFailure { get; set; }

    /// <inheritdoc />
    public Forge Forge => forge;

    /// <summary>Raised after every call, with its <see cref="Calls"/> entry (for tests of work done in the background).</summary>
    public event Action<string>? Called;

    /// <summary>Completes with the first call (already made or to come) that <paramref name="match"/> accepts; fails after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForCallAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnCall(string call)
        {
            if (match(call))
            {
                found.TrySetResult(call);
            }
        }

        Called += OnCall;
        try
        {
            if (Calls.FirstOrDefault(match) is { } made)
            {
                return made;
            }

            return await found.Task.WaitAsync(timeout);
        }
        finally
        {
            Called -= OnCall;
        }
    }

    /// <summary>Adds an open pull request.</summary>
    public IssueInfo AddPull(int number, string author, string[]? labels = null, string[]? files = null, string head = "abc123", string body = "")
    {
        ChangedFiles[number] = files ?? ["README.md"];
        return Issues[number] = new IssueInfo(number, true, author, $"PR {number}", body, "open", labels ?? [], [], false, head, "main", true);
    }

    /// <summary>Adds an open issue.</summary>
    public IssueInfo AddIssue(int number, string author, bool milestone = false) =>
        Issues[number] = new IssueInfo(number, false, author, $"Issue {number}", "", "open", [], [], milestone);

    /// <summary>The labels of <paramref name="number"/> now.</summary>
    public IReadOnlyList<string> LabelsOf(int number) => Issues[number].Labels;

    /// <summary>The comments on <paramref name="number"/>.</summary>
    public IReadOnlyList<string> CommentsOn(int number) => Comments.TryGetValue(number, out var list) ? [.. list] : [];

    /// <inheritdoc />
    public Task<IssueInfo> GetIssueAsync(RepoRef repo, int number, CancellationToken cancellationToken) =>
        Issues.TryGetValue(number, out var issue) ? Task.FromResult(issue) : throw new ForgeApiException($"no issue {number}", 404);

    /// <inheritdoc />
    public Task AddLabelsAsync(RepoRef repo, int number, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        Record($"AddLabels #{number} {string.Join(' ', labels)}");
        Change(number, i => i with { Labels = [.. i.Labels.Union(labels)] });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveLabelAsync(RepoRef repo, int number, string label, CancellationToken cancellationToken)
    {
        Record($"RemoveLabel #{number} {label}");
        Change(number, i => i with { Labels = [.. i.Labels.Where(l => l != label)] });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task CreateCommentAsync(RepoRef repo, int number, string body, CancellationToken cancellationToken)
    {
        Comments.GetOrAdd(number, _ => []).Add(body);
        Record($"Comment #{number}"); // after the effect: whoever waits for the call sees the comment
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AddAssigneesAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken)
    {
        Record($"Assign #{number} {string.Join(' ', logins)}");
        Change(number, i => i with { Assignees = [.. i.Assignees.Union(logins)] });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAssigneesAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken)
    {
        Record($"Unassign #{number} {string.Join(' ', logins)}");
        Change(number, i => i with { Assignees = [.. i.Assignees.Except(logins)] });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RequestReviewersAsync(RepoRef repo, int number, IReadOnlyList<string> logins, CancellationToken cancellationToken)
    {
        Record($"RequestReviewers #{number} {string.Join(' ', logins)}");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task CloseAsync(RepoRef repo, int number, bool isPullRequest, CancellationToken cancellationToken)
    {
        Record($"Close #{number}");
        Change(number, i => i with { State = "closed" });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReopenAsync(RepoRef repo, int number, bool isPullRequest, CancellationToken cancellationToken)
    {
        Record($"Reopen #{number}");
        Change(number, i => i with { State = "open" });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> IsCollaboratorAsync(RepoRef repo, string login, CancellationToken cancellationToken) => Task.FromResult(Collaborators.Contains(login));

    /// <inheritdoc />
    public Task<bool> IsOrgMemberAsync(Forge forge, string organisation, string login, CancellationToken cancellationToken) => Task.FromResult(OrgMembers.Contains(login));

    /// <inheritdoc />
    public Task<string?> GetFileAsync(RepoRef repo, string path, string gitRef, CancellationToken cancellationToken) => Task.FromResult(Files.GetValueOrDefault(path));

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetChangedFilesAsync(RepoRef repo, int number, CancellationToken cancellationToken) =>
        Task.FromResult(ChangedFiles.GetValueOrDefault(number) ?? []);

    /// <inheritdoc />
    public Task<IReadOnlyList<CommitInfo>> GetCommitsAsync(RepoRef repo, int number, CancellationToken cancellationToken) =>
        Task.FromResult(Commits.GetValueOrDefault(number) ?? []);

    /// <inheritdoc />
    public Task SetStatusAsync(RepoRef repo, string sha, CommitStatus status, CancellationToken cancellationToken)
    {
        if (StatusFailure is { } failure)
        {
            throw failure;
        }

        Statuses.GetOrAdd(sha, _ => new())[status.Context] = status;
        Record($"Status {sha} {status.Context} {status.State}");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CommitStatus>> GetStatusesAsync(RepoRef repo, string sha, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CommitStatus>>(Statuses.TryGetValue(sha, out var s) ? [.. s.Values] : []);

    /// <inheritdoc />
    public Task MergeAsync(RepoRef repo, int number, string headSha, MergeMethod method, CancellationToken cancellationToken)
    {
        Record($"Merge #{number} {headSha} {method}");
        if (MergeFailure is { } failure)
        {
            throw failure;
        }

        Change(number, i => i with { State = "merged" });
        return Task.CompletedTask;
    }

    private void Record(string call)
    {
        Calls.Enqueue(call);
        Called?.Invoke(call);
    }

    private void Change(int number, Func<IssueInfo, IssueInfo> change)
    {
        if (Issues.TryGetValue(number, out var issue))
        {
            Issues[number] = change(issue);
        }
    }
}
