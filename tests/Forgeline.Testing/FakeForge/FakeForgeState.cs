using System.Collections.Immutable;
using Forgeline.Bot.Forges;

namespace Forgeline.Testing;

/// <summary>
/// What the fake forge knows: repositories (collaborators, labels, files per ref), organisation members, issues and pull
/// requests, comments, commit statuses and merges, per forge. Thread-safe: every read and change takes one lock, and
/// <see cref="Atomically{T}"/> lets a handler check and change several things as one step.
/// </summary>
public sealed class FakeForgeState(TimeProvider? time = null)
{
    private readonly object gate = new();
    private readonly Dictionary<string, FakeRepository> repositories = [];
    private readonly Dictionary<string, HashSet<string>> orgMembers = [];
    private readonly Dictionary<string, FakeIssue> issues = [];
    private readonly Dictionary<string, List<FakeComment>> comments = [];
    private readonly Dictionary<string, List<FakeStatus>> statuses = [];
    private readonly List<FakeMerge> merges = [];
    private long lastCommentId = 1000;

    /// <summary>The clock comments, statuses and calls are stamped with.</summary>
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>The API token every request must carry (on every forge).</summary>
    public string Token { get; set; } = "fake-forge-token";

    /// <summary>The login the token belongs to: the author of comments the bot writes.</summary>
    public string BotLogin { get; set; } = "forgeline-bot";

    /// <summary>Every merge performed, in order.</summary>
    public IReadOnlyList<FakeMerge> Merges => Atomically(_ => merges.ToList());

    /// <summary>Runs <paramref name="action"/> holding the state's lock, so it sees and changes the state as one step.</summary>
    public T Atomically<T>(Func<FakeForgeState, T> action)
    {
        lock (gate)
        {
            return action(this);
        }
    }

    /// <summary>Adds a repository (or changes its default branch when it exists) and returns it.</summary>
    public FakeRepository AddRepository(Forge forge, string fullName, string defaultBranch = "main") =>
        UpdateRepository(forge, fullName, repository => repository with { DefaultBranch = defaultBranch });

    /// <summary>A repository, or null when there is none.</summary>
    public FakeRepository? Repository(Forge forge, string fullName) =>
        Atomically(_ => repositories.GetValueOrDefault(Key(forge, fullName)));

    /// <summary>Replaces a repository (made empty first when it does not exist) by what <paramref name="change"/> makes of it.</summary>
    public FakeRepository UpdateRepository(Forge forge, string fullName, Func<FakeRepository, FakeRepository> change) =>
        Atomically(_ =>
        {
            var key = Key(forge, fullName);
            var changed = change(repositories.GetValueOrDefault(key) ?? new FakeRepository(forge, fullName));
            repositories[key] = changed;
            return changed;
        });

    /// <summary>Gives <paramref name="login"/> write access to the repository.</summary>
    public void AddCollaborator(Forge forge, string fullName, string login) =>
        UpdateRepository(forge, fullName, repository => repository with { Collaborators = repository.Collaborators.Add(login) });

    /// <summary>Puts a file with <paramref name="text"/> on the repository at <paramref name="gitRef"/>.</summary>
    public void SetFile(Forge forge, string fullName, string gitRef, string path, string text) =>
        UpdateRepository(forge, fullName, repository => repository with
        {
            Files = repository.Files.SetItem(
                gitRef,
                (repository.Files.GetValueOrDefault(gitRef) ?? ImmutableDictionary<string, string>.Empty).SetItem(path, text)),
        });

    /// <summary>Makes <paramref name="login"/> a member of the organisation (GitLab: group).</summary>
    public void AddOrgMember(Forge forge, string organisation, string login) =>
        Atomically(_ =>
        {
            var key = Key(forge, organisation);
            if (!orgMembers.TryGetValue(key, out var members))
            {
                orgMembers[key] = members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            }

            return members.Add(login);
        });

    /// <summary>Whether <paramref name="login"/> is a member of the organisation.</summary>
    public bool IsOrgMember(Forge forge, string organisation, string login) =>
        Atomically(_ => orgMembers.TryGetValue(Key(forge, organisation), out var members) && members.Contains(login));

    /// <summary>Adds an issue or pull request (and its repository when missing); its number must be free.</summary>
    public FakeIssue AddIssue(Forge forge, string fullName, FakeIssue issue) =>
        Atomically(_ =>
        {
            if (!repositories.ContainsKey(Key(forge, fullName)))
            {
                AddRepository(forge, fullName);
            }

            if (!issues.TryAdd(IssueKey(forge, fullName, issue.Number), issue))
            {
                throw new InvalidOperationException($"{forge} {fullName} already has #{issue.Number}.");
            }

            return issue;
        });

    /// <summary>An issue or pull request, or null.</summary>
    public FakeIssue? Issue(Forge forge, string fullName, int number) =>
        Atomically(_ => issues.GetValueOrDefault(IssueKey(forge, fullName, number)));

    /// <summary>Replaces an issue or pull request by what <paramref name="change"/> makes of it; throws when there is none.</summary>
    public FakeIssue UpdateIssue(Forge forge, string fullName, int number, Func<FakeIssue, FakeIssue> change) =>
        Atomically(_ =>
        {
            var key = IssueKey(forge, fullName, number);
            var issue = issues.GetValueOrDefault(key) ?? throw new KeyNotFoundException($"{forge} {fullName} has no #{number}.");
            return issues[key] = change(issue);
        });

    /// <summary>The issues and pull requests of a repository, by number.</summary>
    public IReadOnlyList<FakeIssue> Issues(Forge forge, string fullName)
    {
        var prefix = Key(forge, fullName) + "#";
        return Atomically(_ => issues.Where(pair => pair.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(pair => pair.Value).OrderBy(i => i.Number).ToList());
    }

    /// <summary>Adds a comment by <paramref name="author"/>, stamped now.</summary>
    public FakeComment AddComment(Forge forge, string fullName, int number, string author, string body) =>
        Atomically(_ =>
        {
            var key = IssueKey(forge, fullName, number);
            if (!comments.TryGetValue(key, out var list))
            {
                comments[key] = list = [];
            }

            var comment = new FakeComment(++lastCommentId, author, body, Time.GetUtcNow());
            list.Add(comment);
            return comment;
        });

    /// <summary>The comments on an issue or pull request, oldest first.</summary>
    public IReadOnlyList<FakeComment> Comments(Forge forge, string fullName, int number) =>
        Atomically(_ => comments.TryGetValue(IssueKey(forge, fullName, number), out var list) ? list.ToList() : []);

    /// <summary>Sets a status on a commit, stamped now (earlier ones of the same context stay in the history).</summary>
    public FakeStatus AddStatus(Forge forge, string fullName, string sha, string context, string state, string description, string? targetUrl) =>
        Atomically(_ =>
        {
            var key = Key(forge, fullName) + "@" + sha;
            if (!statuses.TryGetValue(key, out var list))
            {
                statuses[key] = list = [];
            }

            var status = new FakeStatus(context, state, description, targetUrl, Time.GetUtcNow());
            list.Add(status);
            return status;
        });

    /// <summary>Every status set on a commit, oldest first.</summary>
    public IReadOnlyList<FakeStatus> Statuses(Forge forge, string fullName, string sha) =>
        Atomically(_ => statuses.TryGetValue(Key(forge, fullName) + "@" + sha, out var list) ? list.ToList() : []);

    /// <summary>The latest status of each context on a commit, most recent first.</summary>
    public IReadOnlyList<FakeStatus> LatestStatuses(Forge forge, string fullName, string sha) =>
        Statuses(forge, fullName, sha).AsEnumerable().Reverse().DistinctBy(s => s.Context).ToList();

    /// <summary>Records a merge.</summary>
    public void AddMerge(FakeMerge merge) => Atomically(_ =>
    {
        merges.Add(merge);
        return merge;
    });

    private static string Key(Forge forge, string name) => $"{forge}:{name.ToLowerInvariant()}";

    private static string IssueKey(Forge forge, string fullName, int number) => $"{Key(forge, fullName)}#{number}";
}
