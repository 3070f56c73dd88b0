using System.Security.Cryptography;
using System.Text;

namespace Forgeline.Testing;

/// <summary>The fake GitHub's answers, shaped as GitHub's REST v3 documents them (the fields a client reads, with their documented nulls).</summary>
internal static class FakeGitHubJson
{
    public static object User(string login) => new
    {
        login,
        id = Math.Abs(StringComparer.OrdinalIgnoreCase.GetHashCode(login)),
        type = "User",
        html_url = $"https://github.com/{login}",
    };

    public static object Label(string name) => new { name, color = "ededed", @default = false, description = (string?)null };

    public static object? Milestone(string? title) => title is null ? null : new { number = 1, title, state = "open" };

    /// <summary>An issue, or the issue side of a pull request (GitHub serves both from /issues).</summary>
    public static object Issue(string fullName, FakeIssue issue, int commentCount) => new
    {
        id = issue.Number + 100_000,
        number = issue.Number,
        title = issue.Title,
        // GitHub sends null, not "", for an empty description.
        body = issue.Body.Length == 0 ? null : issue.Body,
        state = issue.State == "open" ? "open" : "closed",
        user = User(issue.Author),
        labels = issue.Labels.Select(Label),
        assignee = issue.Assignees.Count > 0 ? User(issue.Assignees[0]) : null,
        assignees = issue.Assignees.Select(User),
        milestone = Milestone(issue.Milestone),
        comments = commentCount,
        html_url = $"https://github.com/{fullName}/{(issue.IsPullRequest ? "pull" : "issues")}/{issue.Number}",
        created_at = issue.CreatedAt,
        pull_request = issue.IsPullRequest
            ? new
            {
                url = $"https://api.github.com/repos/{fullName}/pulls/{issue.Number}",
                html_url = $"https://github.com/{fullName}/pull/{issue.Number}",
            }
            : null,
    };

    public static object PullRequest(string fullName, FakeIssue pull) => new
    {
        id = pull.Number + 200_000,
        number = pull.Number,
        state = pull.State == "open" ? "open" : "closed",
        title = pull.Title,
        body = pull.Body.Length == 0 ? null : pull.Body,
        user = User(pull.Author),
        labels = pull.Labels.Select(Label),
        assignee = pull.Assignees.Count > 0 ? User(pull.Assignees[0]) : null,
        assignees = pull.Assignees.Select(User),
        requested_reviewers = pull.RequestedReviewers.Select(User),
        milestone = Milestone(pull.Milestone),
        head = new { label = $"{fullName.Split('/')[0]}:{pull.HeadRef}", @ref = pull.HeadRef, sha = pull.HeadSha, repo = new { full_name = fullName } },
        @base = new { label = $"{fullName.Split('/')[0]}:{pull.BaseRef}", @ref = pull.BaseRef, repo = new { full_name = fullName } },
        draft = false,
        merged = pull.State == "merged",
        mergeable = pull.State == "open" ? pull.Mergeable : null,
        mergeable_state = pull.State != "open" || pull.Mergeable is null ? "unknown" : pull.Mergeable.Value ? "clean" : "dirty",
        merged_at = pull.State == "merged" ? pull.CreatedAt : (DateTimeOffset?)null,
        html_url = $"https://github.com/{fullName}/pull/{pull.Number}",
        created_at = pull.CreatedAt,
    };

    public static Dictionary<string, object?> ChangedFile(FakeChangedFile file)
    {
        var json = new Dictionary<string, object?>
        {
            ["sha"] = Sha(file.Path),
            ["filename"] = file.Path,
            ["status"] = file.Status,
            ["additions"] = 1,
            ["deletions"] = file.Status == "renamed" ? 0 : 1,
            ["changes"] = file.Status == "renamed" ? 1 : 2,
        };
        if (file.PreviousPath is not null)
        {
            // GitHub sends previous_filename only for renames.
            json["previous_filename"] = file.PreviousPath;
        }

        return json;
    }

    public static object Commit(FakeCommit commit, DateTimeOffset date) => new
    {
        sha = commit.Sha,
        commit = new
        {
            author = new { name = commit.AuthorName, email = commit.AuthorEmail, date },
            committer = new { name = commit.AuthorName, email = commit.AuthorEmail, date },
            message = commit.Message,
        },
        // null when GitHub cannot match the e-mail address to an account.
        author = commit.AuthorLogin is null ? null : User(commit.AuthorLogin),
        committer = commit.AuthorLogin is null ? null : User(commit.AuthorLogin),
    };

    public static object Status(FakeStatus status, string creator) => new
    {
        id = Math.Abs(HashCode.Combine(status.Context, status.CreatedAt)),
        state = status.State,
        description = status.Description,
        target_url = status.TargetUrl,
        context = status.Context,
        created_at = status.CreatedAt,
        updated_at = status.CreatedAt,
        creator = User(creator),
    };

    public static object Comment(FakeComment comment) => new
    {
        id = comment.Id,
        body = comment.Body,
        user = User(comment.Author),
        created_at = comment.CreatedAt,
        updated_at = comment.CreatedAt,
    };

    /// <summary>A stable made-up 40-hex id for <paramref name="text"/> (blob shas, merge commits).</summary>
    public static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];

    /// <summary>Base64 wrapped at 60 characters per line, as the contents API sends it.</summary>
    public static string WrappedBase64(string text)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        return string.Join("\n", base64.Chunk(60).Select(chunk => new string(chunk))) + "\n";
    }
}
