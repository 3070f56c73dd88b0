using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Tests.Webhooks;

/// <summary>Gitee payloads (recorded by go-scm) become the same events as GitHub's, in the common action words.</summary>
public sealed class GiteeWebhookTests
{
    private static readonly RepoRef Repo = new(Forge.Gitee, "kit101", "drone-yml-test");
    private const string Clone = "https://gitee.com/kit101/drone-yml-test.git";

    [Fact]
    public void A_comment_on_a_pull_request()
    {
        var e = Deliveries.Parse("gitee-webhooks/note_hook_pr_comment.json");

        e.ShouldBe(new BotEvent
        {
            DeliveryId = "delivery-1",
            Kind = BotEventKind.Comment,
            Action = "created",
            Repo = Repo,
            Sender = "kit101",
            Number = 7,
            IsPullRequest = true,
            Author = "kit101",
            Title = "feat add 3",
            Body = "",
            Labels = e.Labels,
            HasMilestone = false,
            Comment = new CommentInfo("6937563", "comment"),
            HeadSha = "6168d9dae737b47f00c59fafca10c913a6850c3a",
            Ref = "master",
            CloneUrl = Clone,
        });
        e.Labels.ShouldBeEmpty();
    }

    [Fact]
    public void A_comment_on_an_issue_is_numbered_as_the_gitee_client_numbers_issues()
    {
        var e = Deliveries.Parse("gitee-webhooks/note_hook_issue_comment.json");

        e.Kind.ShouldBe(BotEventKind.Comment);
        e.Action.ShouldBe("created");
        e.IsPullRequest.ShouldBeFalse();
        e.Number.ShouldBe(IssueNumbering.FromGiteeIssue("I4CF12"));
        IssueNumbering.ToGiteeIssue(e.Number!.Value).ShouldBe("I4CF12");
        e.Author.ShouldBe("kit101");
        e.Title.ShouldBe("create by api");
        e.Body.ShouldBe("create by api body");
        e.Labels.ShouldBe(["bug"]);
        e.HasMilestone.ShouldBe(false);
        e.Comment.ShouldBe(new CommentInfo("6933558", "test issue comment hook\r\n\r\n"));
        e.HeadSha.ShouldBeNull();
    }

    [Fact]
    public void An_opened_pull_request()
    {
        var e = Deliveries.Parse("gitee-webhooks/pr_open.json");

        e.ShouldBe(new BotEvent
        {
            DeliveryId = "delivery-1",
            Kind = BotEventKind.PullRequest,
            Action = "opened",
            Repo = Repo,
            Sender = "kit101",
            Number = 9,
            IsPullRequest = true,
            Author = "kit101",
            Title = "feat-3",
            Body = "feat-3",
            Labels = e.Labels,
            HasMilestone = false,
            HeadSha = "dc8fa2ebe050d63f639c5b834311e96bc2303523",
            Ref = "master",
            CloneUrl = Clone,
        });
    }

    [Theory]
    [InlineData("gitee-webhooks/pr_update.json", "synchronized")] // action_desc source_branch_changed: new commits
    [InlineData("gitee-webhooks/pr_labeled.json", "edited")] // update_label: Gitee does not say which label changed
    [InlineData("gitee-webhooks/pr_unlabeled.json", "edited")]
    [InlineData("gitee-webhooks/pr_merge.json", "merged")]
    [InlineData("gitee-webhooks/pr_close.json", "closed")]
    public void Pull_request_actions(string fixture, string action) => Deliveries.Parse(fixture).Action.ShouldBe(action);

    [Fact]
    public void A_label_change_carries_the_labels_now()
    {
        Deliveries.Parse("gitee-webhooks/pr_labeled.json").Labels.ShouldBe(["question"]);
        Deliveries.Parse("gitee-webhooks/pr_unlabeled.json").Labels.ShouldBeEmpty();
    }

    [Fact]
    public void A_merged_pull_request()
    {
        var e = Deliveries.Parse("gitee-webhooks/pr_merge.json");

        e.Number.ShouldBe(9);
        e.HeadSha.ShouldBe("dc8fa2ebe050d63f639c5b834311e96bc2303523");
        e.Ref.ShouldBe("master");
    }

    [Fact]
    public void Pushes()
    {
        var moved = Deliveries.Parse("gitee-webhooks/push.json");
        moved.Kind.ShouldBe(BotEventKind.Push);
        moved.Action.ShouldBe("pushed");
        moved.Ref.ShouldBe("refs/heads/feat-2-1");
        moved.HeadSha.ShouldBe("9921e45e570db8e57e544650baf837932fb2100f");
        moved.Sender.ShouldBe("kit101");
        moved.Repo.ShouldBe(Repo);
        moved.CloneUrl.ShouldBe(Clone);

        Deliveries.Parse("gitee-webhooks/push_branch_create.json").Action.ShouldBe("created");

        var deleted = Deliveries.Parse("gitee-webhooks/push_branch_delete.json");
        deleted.Action.ShouldBe("deleted");
        deleted.HeadSha.ShouldBeNull();

        var tag = Deliveries.Parse("gitee-webhooks/tag_create.json");
        tag.Kind.ShouldBe(BotEventKind.Push);
        tag.Ref.ShouldBe("refs/tags/1.3");
    }

    [Theory]
    [InlineData("gitee-webhooks/issue_hook_open.json", "opened")]
    [InlineData("gitee-webhooks/issue_hook_assign.json", "assigned")]
    [InlineData("gitee-webhooks/issue_hook_delete.json", "deleted")]
    [InlineData("gitee-webhooks/issue_hook_state_change.json", "state_change")] // to "progressing": no common word
    public void Issue_actions(string fixture, string action)
    {
        var e = Deliveries.Parse(fixture);

        e.Kind.ShouldBe(BotEventKind.Issue);
        e.Action.ShouldBe(action);
        e.Sender.ShouldBe("kit101");
        e.Author.ShouldBe("kit101");
        e.Title.ShouldBe("test issue hook");
        e.Number!.Value.ShouldBeNegative();
        IssueNumbering.IsIssue(e.Number.Value).ShouldBeTrue();
        e.IsPullRequest.ShouldBeFalse();
    }

    [Theory]
    [InlineData("closed", "closed")]
    [InlineData("rejected", "closed")]
    [InlineData("open", "reopened")]
    public void An_issue_state_change_to_or_from_closed_uses_the_common_words(string state, string action)
    {
        const string Fixture = "gitee-webhooks/issue_hook_state_change.json";
        Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root => root["issue"]!["state"] = state)).Action.ShouldBe(action);
    }

    [Fact]
    public void An_issue_carries_its_labels_and_milestone()
    {
        var e = Deliveries.Parse("gitee-webhooks/issue_hook_state_change.json");

        e.Body.ShouldBe("test issue hook\nupdate 1");
        e.Labels.ShouldBe(["duplicate"]);
        e.HasMilestone.ShouldBe(true);
        Deliveries.Parse("gitee-webhooks/issue_hook_open.json").HasMilestone.ShouldBe(false);
    }
}
