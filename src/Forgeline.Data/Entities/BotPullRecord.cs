namespace Forgeline.Data.Entities;

/// <summary>
/// A row of <c>bot_pulls</c>: what the bot remembers about one pull request or issue beyond its labels: who approved, the
/// collaborators added with <c>/add-collaborator</c>, whether <c>/ok-to-test</c> made it trusted, and the merge status last reported.
/// </summary>
public sealed class BotPullRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>github, gitee or gitlab.</summary>
    public required string Forge { get; set; }

    /// <summary>owner/name (GitLab: the full project path).</summary>
    public required string Repository { get; set; }

    /// <summary>The issue or pull request number (GitLab merge requests: iid; Gitee and GitLab issues: negative, as Forgeline.Bot.Forges.IssueNumbering gives them).</summary>
    public int Number { get; set; }

    /// <summary>Logins that approved, comma-separated, lower case.</summary>
    public string Approvers { get; set; } = "";

    /// <summary>Logins added as collaborators, comma-separated, lower case.</summary>
    public string Collaborators { get; set; } = "";

    /// <summary>Set by <c>/ok-to-test</c>.</summary>
    public bool Trusted { get; set; }

    /// <summary>The head commit the bot last saw.</summary>
    public string? HeadSha { get; set; }

    /// <summary>The description of the merge status last set, so it is only set again when it changes.</summary>
    public string? MergeStatus { get; set; }

    /// <summary>When it last changed (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}
