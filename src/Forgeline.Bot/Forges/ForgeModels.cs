namespace Forgeline.Bot.Forges;

/// <summary>An issue or pull request as the forge reports it now.</summary>
/// <param name="Number">Its number (GitLab merge requests: iid; Gitee and GitLab issues: negative, see <see cref="IssueNumbering"/>).</param>
/// <param name="IsPullRequest">Whether it is a pull (merge) request.</param>
/// <param name="Author">Who opened it.</param>
/// <param name="Title">Its title.</param>
/// <param name="Body">Its description (empty when none).</param>
/// <param name="State">open, closed or merged.</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Assignees">Its assignees.</param>
/// <param name="HasMilestone">Whether a milestone is set.</param>
/// <param name="HeadSha">The head commit (pull requests only).</param>
/// <param name="BaseRef">The branch it merges into (pull requests only).</param>
/// <param name="Mergeable">False when the forge reports a conflict with the base branch; null when unknown.</param>
public sealed record IssueInfo(
    int Number,
    bool IsPullRequest,
    string Author,
    string Title,
    string Body,
    string State,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Assignees,
    bool HasMilestone,
    string? HeadSha = null,
    string? BaseRef = null,
    bool? Mergeable = null);

/// <summary>One commit of a pull request.</summary>
/// <param name="Sha">Its id.</param>
/// <param name="AuthorName">The author's name.</param>
/// <param name="AuthorEmail">The author's e-mail address (what CLA services look up).</param>
/// <param name="AuthorLogin">The author's forge login, when the forge knows it.</param>
public sealed record CommitInfo(string Sha, string AuthorName, string AuthorEmail, string? AuthorLogin);

/// <summary>The state of a commit status (GitHub statuses; Gitee and GitLab map onto the same four).</summary>
public enum CommitState
{
    /// <summary>Running or waiting.</summary>
    Pending,

    /// <summary>Passed.</summary>
    Success,

    /// <summary>Failed.</summary>
    Failure,

    /// <summary>Could not run.</summary>
    Error,
}

/// <summary>A commit status (a CI context's result on one commit).</summary>
/// <param name="Context">Its name, e.g. <c>forgeline/build</c>.</param>
/// <param name="State">Its state.</param>
/// <param name="Description">One line for people.</param>
/// <param name="TargetUrl">Where the details are, e.g. the build log.</param>
public sealed record CommitStatus(string Context, CommitState State, string Description, string? TargetUrl = null);

/// <summary>How a pull request is merged.</summary>
public enum MergeMethod
{
    /// <summary>A merge commit.</summary>
    Merge,

    /// <summary>All commits squashed into one.</summary>
    Squash,

    /// <summary>Commits rebased onto the base branch.</summary>
    Rebase,
}

/// <summary>A forge API call failed; <see cref="StatusCode"/> is the HTTP status when there was one.</summary>
public sealed class ForgeApiException(string message, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status the forge answered with, if any.</summary>
    public int? StatusCode { get; } = statusCode;
}
