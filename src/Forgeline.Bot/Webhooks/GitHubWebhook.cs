using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Core.Forges;

namespace Forgeline.Bot.Webhooks;

/// <summary>
/// GitHub's webhook format: <c>X-GitHub-Event</c>, <c>X-GitHub-Delivery</c> (the same on a redelivery), the
/// <c>X-Hub-Signature-256</c> HMAC, and the events <c>issue_comment</c>, <c>pull_request_review_comment</c>,
/// <c>pull_request</c>, <c>pull_request_review</c>, <c>issues</c>, <c>push</c>, <c>status</c>, <c>check_run</c> and
/// <c>ping</c>; other events, check runs that were re-requested, and pings of organisation hooks are ignored.
/// </summary>
public sealed class GitHubWebhook : IForgeWebhook
{
    /// <inheritdoc />
    public Forge Forge => Forge.GitHub;

    /// <inheritdoc />
    public string EventHeader => "X-GitHub-Event";

    /// <inheritdoc />
    public string? EventName(Func<string, string?> header) => header(EventHeader)?.Trim() is { Length: > 0 } name ? name : null;

    /// <inheritdoc />
    public string DeliveryId(Func<string, string?> header, byte[] body) => DeliveryIds.From(header("X-GitHub-Delivery"), body);

    /// <inheritdoc />
    public bool IsAuthentic(string secret, Func<string, string?> header, byte[] body) =>
        WebhookSignature.VerifyGitHub(secret, header(WebhookSignature.GitHubHeader), body);

    /// <inheritdoc />
    public BotEvent? Parse(string eventName, string deliveryId, byte[] body)
    {
        if (eventName is not ("issue_comment" or "pull_request_review_comment" or "pull_request" or "pull_request_review" or "issues" or "push" or "status" or "check_run" or "ping"))
        {
            return null;
        }

        using var document = PayloadObject.Parse(body, $"GitHub '{eventName}' payload");
        var root = PayloadObject.Root(document, $"GitHub '{eventName}' payload");
        if (eventName == "ping")
        {
            // An organisation's or app's hook pings without a repository: nothing the bot could attach it to.
            return root.Has("repository") ? Common(root, deliveryId, BotEventKind.Ping, "ping") : null;
        }

        return eventName switch
        {
            "issue_comment" => IssueComment(root, deliveryId),
            "pull_request_review_comment" => ReviewComment(root, deliveryId),
            "pull_request" => PullRequest(root, deliveryId),
            "pull_request_review" => Review(root, deliveryId),
            "issues" => Issue(root, deliveryId),
            "push" => Push(root, deliveryId),
            "status" => Status(root, deliveryId),
            _ => CheckRun(root, deliveryId),
        };
    }

    private static BotEvent IssueComment(PayloadObject root, string deliveryId)
    {
        var issue = root.Object("issue");
        var action = root.String("action");
        return WithIssue(Common(root, deliveryId, BotEventKind.Comment, action), issue) with
        {
            IsPullRequest = issue.Has("pull_request"),
            Comment = Comment(root, action),
        };
    }

    private static BotEvent ReviewComment(PayloadObject root, string deliveryId)
    {
        var action = root.String("action");
        return WithPullRequest(Common(root, deliveryId, BotEventKind.Comment, action), root.Object("pull_request")) with { Comment = Comment(root, action) };
    }

    private static BotEvent PullRequest(PayloadObject root, string deliveryId)
    {
        var pullRequest = root.Object("pull_request");
        var action = root.String("action") switch
        {
            "synchronize" => "synchronized",
            "closed" when pullRequest.OptionalBool("merged") == true => "merged",
            var other => other,
        };
        return WithPullRequest(Common(root, deliveryId, BotEventKind.PullRequest, action), pullRequest) with { Subject = LabelName(root) };
    }

    private static BotEvent Review(PayloadObject root, string deliveryId)
    {
        var review = root.Object("review");
        return WithPullRequest(Common(root, deliveryId, BotEventKind.Review, root.String("action")), root.Object("pull_request")) with
        {
            Comment = new CommentInfo(review.Id("id"), review.OptionalString("body") ?? ""),
            Subject = review.String("state").ToLowerInvariant(),
        };
    }

    private static BotEvent Issue(PayloadObject root, string deliveryId) =>
        WithIssue(Common(root, deliveryId, BotEventKind.Issue, root.String("action")), root.Object("issue")) with { Subject = LabelName(root) };

    private static BotEvent Push(PayloadObject root, string deliveryId)
    {
        var deleted = root.OptionalBool("deleted") == true;
        var action = deleted ? "deleted" : root.OptionalBool("created") == true ? "created" : "pushed";
        return Common(root, deliveryId, BotEventKind.Push, action) with
        {
            Ref = root.String("ref"),
            HeadSha = deleted ? null : root.String("after"),
        };
    }

    private static BotEvent Status(PayloadObject root, string deliveryId) =>
        Common(root, deliveryId, BotEventKind.Status, "updated") with
        {
            HeadSha = root.String("sha"),
            Subject = root.String("context"),
            State = root.String("state") switch
            {
                "pending" => CommitState.Pending,
                "success" => CommitState.Success,
                "failure" => CommitState.Failure,
                "error" => CommitState.Error,
                _ => throw root.Invalid("state", "not one of pending, success, failure, error"),
            },
        };

    private static BotEvent? CheckRun(PayloadObject root, string deliveryId)
    {
        // created and completed report a result; rerequested and requested_action ask the app to run again.
        if (root.String("action") is not ("created" or "completed"))
        {
            return null;
        }

        var run = root.Object("check_run");
        var state = run.String("status") != "completed" ? CommitState.Pending : run.String("conclusion") switch
        {
            "success" or "neutral" or "skipped" => CommitState.Success,
            "failure" or "timed_out" or "action_required" => CommitState.Failure,
            _ => CommitState.Error, // cancelled, stale, startup_failure
        };
        return Common(root, deliveryId, BotEventKind.Status, "updated") with
        {
            HeadSha = run.String("head_sha"),
            Subject = run.String("name"),
            State = state,
        };
    }

    private static BotEvent Common(PayloadObject root, string deliveryId, BotEventKind kind, string action)
    {
        var repository = root.Object("repository");
        return new BotEvent
        {
            DeliveryId = deliveryId,
            Kind = kind,
            Action = action,
            Repo = new RepoRef(Forge.GitHub, repository.Object("owner").String("login"), repository.String("name")),
            Sender = root.Object("sender").String("login"),
            CloneUrl = repository.OptionalString("clone_url"),
        };
    }

    private static BotEvent WithIssue(BotEvent e, PayloadObject issue) => e with
    {
        Number = issue.Int("number"),
        Author = issue.OptionalObject("user")?.OptionalString("login"),
        Title = issue.OptionalString("title"),
        Body = issue.OptionalString("body"),
        Labels = issue.Names("labels", "name"),
        HasMilestone = issue.Contains("milestone") ? issue.Has("milestone") : null,
    };

    private static BotEvent WithPullRequest(BotEvent e, PayloadObject pullRequest) => WithIssue(e, pullRequest) with
    {
        IsPullRequest = true,
        HeadSha = pullRequest.Object("head").String("sha"),
        Ref = pullRequest.Object("base").String("ref"),
    };

    private static CommentInfo Comment(PayloadObject root, string action)
    {
        var comment = root.Object("comment");
        var body = comment.String("body");
        return new CommentInfo(
            comment.Id("id"),
            action == "deleted" ? "" : body,
            root.OptionalObject("changes")?.OptionalObject("body")?.OptionalString("from"));
    }

    private static string? LabelName(PayloadObject root) => root.OptionalObject("label")?.String("name");
}
