using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Core.Forges;

namespace Forgeline.Bot.Webhooks;

/// <summary>
/// Gitee's webhook format: <c>X-Gitee-Event</c> (<c>Note Hook</c>, <c>Merge Request Hook</c>, <c>Issue Hook</c>,
/// <c>Push Hook</c>, <c>Tag Push Hook</c>), <c>X-Gitee-Token</c> as password or signature, and no delivery id header
/// (the id is the body's digest: Gitee's body carries its own timestamp and signature, so two deliveries never share
/// one, while a replayed body does).
/// </summary>
/// <remarks>
/// Gitee issues are numbered with letters (<c>I4CF12</c>): they become negative numbers (<see cref="IssueNumbering"/>), the
/// same the Gitee client reads back. Label changes on pull requests arrive as <c>edited</c> with the new
/// <see cref="BotEvent.Labels"/>, since Gitee does not say which label was added or removed.
/// </remarks>
public sealed class GiteeWebhook : IForgeWebhook
{
    /// <inheritdoc />
    public Forge Forge => Forge.Gitee;

    /// <inheritdoc />
    public string EventHeader => "X-Gitee-Event";

    /// <inheritdoc />
    public string? EventName(Func<string, string?> header) => header(EventHeader)?.Trim() is { Length: > 0 } name ? name : null;

    /// <inheritdoc />
    public string DeliveryId(Func<string, string?> header, byte[] body) => DeliveryIds.OfBody(body);

    /// <inheritdoc />
    public bool IsAuthentic(string secret, Func<string, string?> header, byte[] body) =>
        WebhookSignature.VerifyGitee(secret, header(WebhookSignature.GiteeTokenHeader), header(WebhookSignature.GiteeTimestampHeader));

    /// <inheritdoc />
    public BotEvent? Parse(string eventName, string deliveryId, byte[] body)
    {
        var name = eventName.ToLowerInvariant();
        if (name is not ("note hook" or "merge request hook" or "issue hook" or "push hook" or "tag push hook"))
        {
            return null;
        }

        using var document = PayloadObject.Parse(body, $"Gitee '{eventName}' payload");
        var root = PayloadObject.Root(document, $"Gitee '{eventName}' payload");
        return name switch
        {
            "note hook" => Note(root, deliveryId),
            "merge request hook" => PullRequest(root, deliveryId),
            "issue hook" => Issue(root, deliveryId),
            _ => Push(root, deliveryId),
        };
    }

    private static BotEvent? Note(PayloadObject root, string deliveryId)
    {
        var action = root.String("action") switch
        {
            "comment" => "created",
            "edit" or "edited" or "update" => "edited",
            "delete" or "deleted" => "deleted",
            var other => other,
        };
        var comment = root.Object("comment");
        var info = new CommentInfo(comment.Id("id"), action == "deleted" ? "" : comment.String("body"));
        var sender = Login(root.OptionalObject("sender")) ?? Login(comment.OptionalObject("user"));
        switch (root.String("noteable_type"))
        {
            case "PullRequest":
                return WithPullRequest(Common(root, deliveryId, BotEventKind.Comment, action, sender), root.Object("pull_request")) with { Comment = info };
            case "Issue":
                return WithIssue(Common(root, deliveryId, BotEventKind.Comment, action, sender), root.Object("issue")) with { Comment = info };
            default:
                return null; // comments on commits
        }
    }

    private static BotEvent PullRequest(PayloadObject root, string deliveryId)
    {
        var action = root.String("action") switch
        {
            "open" => "opened",
            "close" => "closed",
            "merge" => "merged",
            "reopen" => "reopened",
            "update" when root.OptionalString("action_desc") == "source_branch_changed" => "synchronized",
            "update" => "edited",
            var other => other,
        };
        return WithPullRequest(Common(root, deliveryId, BotEventKind.PullRequest, action), root.Object("pull_request"));
    }

    private static BotEvent Issue(PayloadObject root, string deliveryId)
    {
        var issue = root.Object("issue");
        var action = root.String("action") switch
        {
            "open" => "opened",
            "close" => "closed",
            "reopen" => "reopened",
            "update" => "edited",
            "assign" => "assigned",
            "delete" => "deleted",

            // Gitee issues move between open, progressing, closed and rejected; only the moves to and from closed are the common words.
            "state_change" => issue.OptionalString("state") switch
            {
                "closed" or "rejected" => "closed",
                "open" => "reopened",
                _ => "state_change",
            },
            var other => other,
        };
        return WithIssue(Common(root, deliveryId, BotEventKind.Issue, action), issue);
    }

    private static BotEvent Push(PayloadObject root, string deliveryId)
    {
        var deleted = root.OptionalBool("deleted") == true;
        var action = deleted ? "deleted" : root.OptionalBool("created") == true ? "created" : "pushed";
        var sender = Login(root.OptionalObject("sender")) ?? root.OptionalString("user_name") ?? root.OptionalObject("pusher")?.OptionalString("name");
        return Common(root, deliveryId, BotEventKind.Push, action, sender) with
        {
            Ref = root.String("ref"),
            HeadSha = deleted ? null : root.String("after"),
        };
    }

    private static BotEvent Common(PayloadObject root, string deliveryId, BotEventKind kind, string action, string? sender = null)
    {
        var repository = root.Object("repository");

        // namespace and path are the URL's segments; name may be a display name with spaces.
        var owner = repository.OptionalString("namespace") ?? repository.Object("owner").String("login");
        var name = repository.OptionalString("path") ?? repository.String("name");
        return new BotEvent
        {
            DeliveryId = deliveryId,
            Kind = kind,
            Action = action,
            Repo = new RepoRef(Forge.Gitee, owner, name),
            Sender = sender ?? Login(root.OptionalObject("sender")) ?? throw root.Invalid("sender", "missing (an object with a login)"),
            CloneUrl = repository.OptionalString("clone_url") ?? repository.OptionalString("git_http_url"),
        };
    }

    private static BotEvent WithIssue(BotEvent e, PayloadObject issue) => e with
    {
        Number = issue.OptionalString("number") is { } number ? GiteeIssueNumber(issue, number) : null,
        Author = Login(issue.OptionalObject("user")),
        Title = issue.OptionalString("title"),
        Body = issue.OptionalString("body"),
        Labels = issue.Names("labels", "name"),
        HasMilestone = issue.Contains("milestone") ? issue.Has("milestone") : null,
    };

    private static int GiteeIssueNumber(PayloadObject issue, string number)
    {
        try
        {
            return IssueNumbering.FromGiteeIssue(number);
        }
        catch (FormatException e)
        {
            throw issue.Invalid("number", e.Message);
        }
    }

    private static BotEvent WithPullRequest(BotEvent e, PayloadObject pullRequest) => e with
    {
        Number = pullRequest.Int("number"),
        IsPullRequest = true,
        Author = Login(pullRequest.OptionalObject("user")),
        Title = pullRequest.OptionalString("title"),
        Body = pullRequest.OptionalString("body"),
        Labels = pullRequest.Names("labels", "name"),
        HasMilestone = pullRequest.Contains("milestone") ? pullRequest.Has("milestone") : null,
        HeadSha = pullRequest.Object("head").String("sha"),
        Ref = pullRequest.Object("base").String("ref"),
    };

    private static string? Login(PayloadObject? user) => user?.OptionalString("login") ?? user?.OptionalString("username");
}
