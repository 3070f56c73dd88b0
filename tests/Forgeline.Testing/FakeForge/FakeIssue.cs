using System.Collections.Immutable;

namespace Forgeline.Testing;

/// <summary>
/// An issue or pull request held by the <see cref="FakeForgeState"/>, as an immutable snapshot: the fake's handlers and
/// tests change it through <see cref="FakeForgeState.UpdateIssue"/>. Pull-request fields are ignored on issues.
/// </summary>
/// <param name="Number">Its number (GitLab merge requests: iid; Gitee and GitLab issues: the negative number IssueNumbering gives them).</param>
/// <param name="IsPullRequest">Whether it is a pull (merge) request.</param>
/// <param name="Author">The login of who opened it.</param>
/// <param name="Title">Its title.</param>
public sealed record FakeIssue(int Number, bool IsPullRequest, string Author, string Title)
{
    /// <summary>Its description.</summary>
    public string Body { get; init; } = "";

    /// <summary><c>open</c>, <c>closed</c> or <c>merged</c> (pull requests only).</summary>
    public string State { get; init; } = "open";

    /// <summary>Its labels, in the order they were added.</summary>
    public ImmutableList<string> Labels { get; init; } = [];

    /// <summary>The logins assigned to it.</summary>
    public ImmutableList<string> Assignees { get; init; } = [];

    /// <summary>The logins whose review is requested (pull requests).</summary>
    public ImmutableList<string> RequestedReviewers { get; init; } = [];

    /// <summary>Its milestone's title, or null.</summary>
    public string? Milestone { get; init; }

    /// <summary>The head commit (pull requests).</summary>
    public string HeadSha { get; init; } = "";

    /// <summary>The branch the head commit is on (pull requests).</summary>
    public string HeadRef { get; init; } = "feature";

    /// <summary>The branch it merges into (pull requests).</summary>
    public string BaseRef { get; init; } = "main";

    /// <summary>The files it changes (pull requests).</summary>
    public ImmutableList<FakeChangedFile> ChangedFiles { get; init; } = [];

    /// <summary>Its commits, oldest first (pull requests).</summary>
    public ImmutableList<FakeCommit> Commits { get; init; } = [];

    /// <summary>False when it conflicts with the base branch; null while the forge has not computed it (pull requests).</summary>
    public bool? Mergeable { get; init; } = true;

    /// <summary>When it was opened.</summary>
    public DateTimeOffset CreatedAt { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
