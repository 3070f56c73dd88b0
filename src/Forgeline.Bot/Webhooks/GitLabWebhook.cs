using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Core.Forges;

namespace Forgeline.Bot.Webhooks;

/// <summary>
/// GitLab's webhook format: <c>X-Gitlab-Event</c> (<c>Note Hook</c>, <c>Merge Request Hook</c>, <c>Issue Hook</c>,
/// <c>Push Hook</c>, <c>Tag Push Hook</c>, <c>Pipeline Hook</c>, and the confidential note and issue hooks), the
/// <c>X-Gitlab-Token</c> secret, and <c>Idempotency-Key</c> as the delivery id.
/// </summary>
/// <remarks>
/// Why <c>Idempotency-Key</c> (GitLab 17.4 and later) and not the UUID headers: it is the one GitLab keeps when it
/// retries a delivery, while <c>X-Gitlab-Webhook-UUID</c> is new for every attempt (a retry would run twice) and
/// <c>X-Gitlab-Event-UUID</c> is shared by every hook call one request causes (a push and the merge request update it
/// triggers would collide). Without the key, the body's digest makes a retried body the same delivery.
/// Repositories are named by <c>path_with_namespace</c>: the owner is the whole group path (<c>group/subgroup</c>).
/// </remarks>
public sealed class GitLabWebhook : IForgeWebhook
{
    /// <inheritdoc />
    public Forge Forge => Forge.GitLab;

    /// <inheritdoc />
    public string EventHeader => "X-Gitlab-Event";

    /// <inheritdoc />
    public string? EventName(Func<string, string?> header) => header(EventHeader)?.Trim() is { Length: > 0 } name ? name : null;

    /// <inheritdoc />
    public string DeliveryId(Func<string, string?> header, byte[] body) => DeliveryIds.From(header("Idempotency-Key"), body);

    /// <inheritdoc />
    public bool IsAuthentic(string secret, Func<string, string?> header, byte[] body) =>
        WebhookSignature.VerifyGitLab(secret, header(WebhookSignature.GitLabHeader));

    /// <inheritdoc />
    public BotEvent? Parse(string eventName, string deliveryId, byte[] body)
    {
        var name = eventName.ToLowerInvariant();
        if (name is not ("note hook" or "confidential note hook" or "merge request hook" or "issue hook" or "confidential issue hook"
            or "push hook" or "tag push hook" or "pipeline hook"))
        {
            return null;
        }

        using var document = PayloadObject.Parse(body, $"GitLab '{eventName}' payload");
        var root = PayloadObject.Root(document, $"GitLab '{eventName}' payload");
        return name switch
        {
            "note hook" or "confidential note hook" => Note(root, deliveryId),
            "merge request hook" => MergeRequest(root, deliveryId),
            "issue hook" or "confidential issue hook" => Issue(root, deliveryId),
            "pipeline hook" => Pipeline(root, deliveryId),
            _ => Push(root, deliveryId),
        };
    }

    private static BotEvent? Note(PayloadObject root, string deliveryId)
    {
        var note = root.Object("object_attributes");
        var action = note.OptionalString("action") switch
        {
            null or "create" => "created",
            "update" => "edited",
            var other => other,
        };
        var e = Common(root, deliveryId, BotEventKind.Comment, action) with
        {
            Comment = new CommentInfo(note.Id("id"), note.String("note")),
        };
        switch (note.String("noteable_type"))
        {
            case "MergeRequest":
                return WithMergeRequest(e, root.Object("merge_request"), hook: null);
            case "Issue":
                return WithIssue(e, root.Object("issue"), hook: null);
            default:
                return null; // comments on commits and snippets
        }
    }

    private static BotEvent MergeRequest(PayloadObject root, string deliveryId)
    {
        var attributes = root.Object("object_attributes");
        var (action, subject) = attributes.OptionalString("action") switch
        {
            "update" when attributes.Has("oldrev") => ("synchronized", null),
            var other => Changed(root, other),
        };
        var e = WithMergeRequest(Common(root, deliveryId, BotEventKind.PullRequest, action), attributes, root) with { Subject = subject };
        return action == "opened" ? e with { Author = e.Sender } : e;
    }

    private static BotEvent Issue(PayloadObject root, string deliveryId)
    {
        var attributes = root.Object("object_attributes");
        var (action, subject) = Changed(root, attributes.OptionalString("action"));
        var e = WithIssue(Common(root, deliveryId, BotEventKind.Issue, action), attributes, root) with { Subject = subject };
        return action == "opened" ? e with { Author = e.Sender } : e;
    }

    private static BotEvent Push(PayloadObject root, string deliveryId)
    {
        var after = root.String("after");
        var action = IsZero(after) ? "deleted" : IsZero(root.String("before")) ? "created" : "pushed";
        return Common(root, deliveryId, BotEventKind.Push, action, root.String("user_username")) with
        {
            Ref = root.String("ref"),
            HeadSha = action == "deleted" ? null : after,
        };
    }

    private static BotEvent Pipeline(PayloadObject root, string deliveryId)
    {
        var pipeline = root.Object("object_attributes");
        var state = pipeline.String("status") switch
        {
            "success" => CommitState.Success,
            "failed" => CommitState.Failure,
            "canceled" or "skipped" => CommitState.Error,
            _ => CommitState.Pending, // created, waiting_for_resource, preparing, pending, running, scheduled, manual
        };
        return Common(root, deliveryId, BotEventKind.Status, "updated") with
        {
            HeadSha = pipeline.String("sha"),
            Subject = pipeline.OptionalString("name") is { Length: > 0 } name ? name : "gitlab-ci",
            State = state,
        };
    }

    /// <summary>The common word for an issue or merge request action; an update says what changed when it was labels or the milestone.</summary>
    private static (string Action, string? Subject) Changed(PayloadObject root, string? action)
    {
        switch (action)
        {
            case "open":
                return ("opened", null);
            case "close":
                return ("closed", null);
            case "reopen":
                return ("reopened", null);
            case "merge":
                return ("merged", null);
            case "update":
                break;
            case null:
                throw root.Invalid("object_attributes.action", "missing (open, close, reopen, merge, update …)");
            default:
                return (action, null);
        }

        var changes = root.OptionalObject("changes");
        if (changes?.OptionalObject("labels") is { } labels)
        {
            var before = labels.Names("previous", "title");
            var after = labels.Names("current", "title");
            var added = after.Except(before).ToList();
            var removed = before.Except(after).ToList();
            if (added.Count > 0 && removed.Count == 0)
            {
                return ("labeled", added[0]);
            }

            if (removed.Count > 0 && added.Count == 0)
            {
                return ("unlabeled", removed[0]);
            }
        }

        if (changes?.OptionalObject("milestone_id") is { } milestone)
        {
            return (milestone.Has("current") ? "milestoned" : "demilestoned", null);
        }

        return ("edited", null);
    }

    private static BotEvent Common(PayloadObject root, string deliveryId, BotEventKind kind, string action, string? sender = null)
    {
        var project = root.Object("project");
        var path = project.String("path_with_namespace");
        var slash = path.LastIndexOf('/');
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw root.Invalid("project.path_with_namespace", $"= '{path}', not a group/project path");
        }

        return new BotEvent
        {
            DeliveryId = deliveryId,
            Kind = kind,
            Action = action,
            Repo = new RepoRef(Forge.GitLab, path[..slash], path[(slash + 1)..]),
            Sender = sender ?? root.Object("user").String("username"),
            CloneUrl = project.OptionalString("git_http_url") ?? project.OptionalString("http_url"),
        };
    }

    // Issues and merge requests have their own iid sequences on GitLab: issues take negative numbers (IssueNumbering).
    private static BotEvent WithIssue(BotEvent e, PayloadObject issue, PayloadObject? hook) => e with
    {
        Number = IssueNumbering.FromGitLabIssue(issue.Int("iid")),
        Title = issue.OptionalString("title"),
        Body = issue.OptionalString("description"),
        Labels = Labels(issue, hook),
        HasMilestone = issue.Contains("milestone_id") ? issue.Has("milestone_id") : null,
    };

    private static BotEvent WithMergeRequest(BotEvent e, PayloadObject mergeRequest, PayloadObject? hook) => WithIssue(e, mergeRequest, hook) with
    {
        IsPullRequest = true,
        Number = mergeRequest.Int("iid"),
        HeadSha = mergeRequest.OptionalObject("last_commit")?.String("id"),
        Ref = mergeRequest.String("target_branch"),
    };

    /// <summary>Merge request and issue hooks list the labels at the top (<paramref name="hook"/>), older ones and notes inside the object.</summary>
    private static IReadOnlyList<string> Labels(PayloadObject item, PayloadObject? hook) =>
        hook is { } top && top.Has("labels") ? top.Names("labels", "title") : item.Names("labels", "title");

    private static bool IsZero(string sha) => sha.Length > 0 && sha.All(c => c == '0');
}
