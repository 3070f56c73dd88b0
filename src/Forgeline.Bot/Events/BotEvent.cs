using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Events;

/// <summary>
/// A webhook delivery as the bot understands it, whatever forge sent it. Parsers (<c>GitHubWebhook</c>, <c>GiteeWebhook</c>,
/// <c>GitLabWebhook</c>) build it from the forge's own payload; plugins only ever see this.
/// </summary>
public sealed record BotEvent
{
    /// <summary>The forge's delivery id.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>What happened.</summary>
    public required BotEventKind Kind { get; init; }

    /// <summary>
    /// The action, lower case and the same words on every forge: comments <c>created</c>, <c>edited</c>, <c>deleted</c>;
    /// pull requests and issues <c>opened</c>, <c>synchronized</c>, <c>closed</c>, <c>merged</c>, <c>reopened</c>,
    /// <c>labeled</c>, <c>unlabeled</c>, <c>edited</c>, <c>milestoned</c>, <c>demilestoned</c>; statuses <c>updated</c>;
    /// others as the forge names them.
    /// </summary>
    public required string Action { get; init; }

    /// <summary>The repository.</summary>
    public required RepoRef Repo { get; init; }

    /// <summary>Who caused the event (commenter, pusher, who labeled).</summary>
    public required string Sender { get; init; }

    /// <summary>The issue or pull request (GitLab merge requests: iid; Gitee and GitLab issues: negative, see <see cref="IssueNumbering"/>); null for pushes and statuses.</summary>
    public int? Number { get; init; }

    /// <summary>Whether <see cref="Number"/> is a pull request.</summary>
    public bool IsPullRequest { get; init; }

    /// <summary>Who opened the issue or pull request.</summary>
    public string? Author { get; init; }

    /// <summary>The issue or pull request title.</summary>
    public string? Title { get; init; }

    /// <summary>The issue or pull request description.</summary>
    public string? Body { get; init; }

    /// <summary>Its labels at the time of the event, when the payload carries them.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Whether it has a milestone, when the payload says.</summary>
    public bool? HasMilestone { get; init; }

    /// <summary>The comment, for <see cref="BotEventKind.Comment"/>.</summary>
    public CommentInfo? Comment { get; init; }

    /// <summary>The pull request's head commit, when known.</summary>
    public string? HeadSha { get; init; }

    /// <summary>The pull request's base branch, or the pushed ref (<c>refs/heads/main</c>) for pushes.</summary>
    public string? Ref { get; init; }

    /// <summary>The repository's clone URL (https), for jobs that build it.</summary>
    public string? CloneUrl { get; init; }

    /// <summary>For <see cref="BotEventKind.Status"/>: the context and its state; for label events: the label.</summary>
    public string? Subject { get; init; }

    /// <summary>For <see cref="BotEventKind.Status"/>: the new state.</summary>
    public CommitState? State { get; init; }

    /// <summary>The forge (from <see cref="Repo"/>).</summary>
    public Forge Forge => Repo.Forge;
}

/// <summary>A comment.</summary>
/// <param name="Id">The forge's comment id.</param>
/// <param name="Body">Its text now (empty for deleted comments).</param>
/// <param name="PreviousBody">Its text before an edit, when the forge sends it.</param>
public sealed record CommentInfo(string Id, string Body, string? PreviousBody = null);
