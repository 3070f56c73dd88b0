using System.Text.Json.Nodes;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Tests.Webhooks;

/// <summary>GitLab payloads (recorded by go-scm) become the same events as GitHub's; merge requests are pull requests numbered by iid.</summary>
public sealed class GitLabWebhookTests
{
    private static readonly RepoRef HelloWorld = new(Forge.GitLab, "gitlab-org", "hello-world");
    private const string Clone = "https://gitlab.com/gitlab-org/hello-world.git";
    private const string Head = "c4c79227ed610f1151f05bbc5be33b4f340d39c8";

    [Fact]
    public void A_comment_on_a_merge_request()
    {
        var e = Deliveries.Parse("gitlab-webhooks/merge_request_comment_create.json");

        e.ShouldBe(new BotEvent
        {
            DeliveryId = "delivery-1",
            Kind = BotEventKind.Comment,
            Action = "created",
            Repo = HelloWorld,
            Sender = "sytses",
            Number = 1,
            IsPullRequest = true,
            Title = "update readme",
            Body = "adding build instructions to readme",
            Labels = e.Labels,
            HasMilestone = false,
            Comment = new CommentInfo("50772616", "lgtm"),
            HeadSha = Head,
            Ref = "master",
            CloneUrl = Clone,
        });
        e.Labels.ShouldBeEmpty();
    }

    [Fact]
    public void A_comment_in_a_subgroup_names_the_whole_group_path_as_owner()
    {
        var e = Deliveries.Parse("gitlab-webhooks/merge_request_comment_subgroup.json");

        e.Repo.ShouldBe(new RepoRef(Forge.GitLab, "group1/group2/group3", "grp2repo"));
        e.Repo.Organisation.ShouldBe("group1");
        e.CloneUrl.ShouldBe("https://gitlab.com/group1/group2/group3/grp2repo.git");
    }

    [Fact]
    public void A_comment_on_an_issue()
    {
        var e = Deliveries.Parse("gitlab-webhooks/issue_comment_create.json");

        e.Kind.ShouldBe(BotEventKind.Comment);
        e.IsPullRequest.ShouldBeFalse();
        e.Number.ShouldBe(IssueNumbering.FromGitLabIssue(1));
        e.Title.ShouldBe("found a bug");
        e.Body.ShouldBe("website is broken");
        e.Comment.ShouldBe(new CommentInfo("50771783", "bump"));
        e.HeadSha.ShouldBeNull();
    }

    [Fact]
    public void An_edited_comment()
    {
        const string Fixture = "gitlab-webhooks/review_comment_create.json";
        var e = Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root => root["object_attributes"]!["action"] = "update"));

        e.Action.ShouldBe("edited");
        e.Comment.ShouldBe(new CommentInfo("50772639", "check spelling"));
    }

    [Fact]
    public void An_opened_merge_request()
    {
        var e = Deliveries.Parse("gitlab-webhooks/pull_request_create.json");

        e.ShouldBe(new BotEvent
        {
            DeliveryId = "delivery-1",
            Kind = BotEventKind.PullRequest,
            Action = "opened",
            Repo = HelloWorld,
            Sender = "sytses",
            Number = 1,
            IsPullRequest = true,
            Author = "sytses",
            Title = "update readme",
            Body = "adding build instructions to readme",
            Labels = e.Labels,
            HasMilestone = false,
            HeadSha = Head,
            Ref = "master",
            CloneUrl = Clone,
        });
    }

    [Theory]
    [InlineData("gitlab-webhooks/pull_request_merge.json", "merged")]
    [InlineData("gitlab-webhooks/pull_request_close.json", "closed")]
    [InlineData("gitlab-webhooks/pull_request_reopen.json", "reopened")]
    [InlineData("gitlab-webhooks/pull_request_review_ready.json", "edited")] // draft and title changed
    [InlineData("gitlab-webhooks/merge_request_subgroup.json", "opened")]
    public void Merge_request_actions(string fixture, string action)
    {
        var e = Deliveries.Parse(fixture);

        e.Kind.ShouldBe(BotEventKind.PullRequest);
        e.Action.ShouldBe(action);
    }

    [Fact]
    public void An_update_with_oldrev_is_new_commits()
    {
        const string Fixture = "gitlab-webhooks/pull_request_reopen.json";
        var e = Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root =>
        {
            root["object_attributes"]!["action"] = "update";
            root["object_attributes"]!["oldrev"] = "0123456789abcdef0123456789abcdef01234567";
        }));

        e.Action.ShouldBe("synchronized");
        e.HeadSha.ShouldBe(Head);
    }

    [Fact]
    public void A_labeled_issue_names_the_added_label()
    {
        var e = Deliveries.Parse("gitlab-webhooks/issue_labeled.json");

        e.Kind.ShouldBe(BotEventKind.Issue);
        e.Action.ShouldBe("labeled");
        e.Subject.ShouldBe("critical");
        e.Labels.ShouldBe(["critical"]);
        e.Number.ShouldBe(IssueNumbering.FromGitLabIssue(1));
        e.IsPullRequest.ShouldBeFalse();
    }

    [Fact]
    public void Removing_a_label_or_setting_a_milestone_is_said_too()
    {
        const string Fixture = "gitlab-webhooks/issue_labeled.json";
        var unlabeled = Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root =>
        {
            var labels = root["changes"]!["labels"]!;
            (labels["previous"], labels["current"]) = (labels["current"]!.DeepClone(), new JsonArray());
        }));
        unlabeled.Action.ShouldBe("unlabeled");
        unlabeled.Subject.ShouldBe("critical");

        var milestoned = Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root =>
            root["changes"] = new JsonObject { ["milestone_id"] = new JsonObject { ["previous"] = null, ["current"] = 7 } }));
        milestoned.Action.ShouldBe("milestoned");
    }

    [Theory]
    [InlineData("gitlab-webhooks/issue_create.json", "opened")]
    [InlineData("gitlab-webhooks/issue_closed.json", "closed")]
    [InlineData("gitlab-webhooks/issue_reopen.json", "reopened")]
    [InlineData("gitlab-webhooks/issue_edited.json", "edited")]
    public void Issue_actions(string fixture, string action) => Deliveries.Parse(fixture).Action.ShouldBe(action);

    [Fact]
    public void Pushes()
    {
        var moved = Deliveries.Parse("gitlab-webhooks/push.json");
        moved.Kind.ShouldBe(BotEventKind.Push);
        moved.Action.ShouldBe("pushed");
        moved.Ref.ShouldBe("refs/heads/master");
        moved.HeadSha.ShouldBe("2adc9465c4edfc33834e173fe89436a7cb899a1d");
        moved.Sender.ShouldBe("sytses");
        moved.Repo.ShouldBe(HelloWorld);

        var deleted = Deliveries.Parse("gitlab-webhooks/branch_delete.json");
        deleted.Action.ShouldBe("deleted");
        deleted.HeadSha.ShouldBeNull();

        var tag = Deliveries.Parse("gitlab-webhooks/tag_create.json");
        tag.Action.ShouldBe("created");
        tag.Ref.ShouldBe("refs/tags/v1.0.0");

        Deliveries.Parse("gitlab-webhooks/push_subgroup.json").Repo.ShouldBe(new RepoRef(Forge.GitLab, "group1/group2/group3", "grp2repo"));
    }

    [Fact]
    public void A_pipeline_is_a_status()
    {
        var e = Deliveries.Parse("gitlab-webhooks/pipeline_hook.json");

        e.Kind.ShouldBe(BotEventKind.Status);
        e.Action.ShouldBe("updated");
        e.Repo.ShouldBe(new RepoRef(Forge.GitLab, "gitlab-org", "gitlab-test"));
        e.Sender.ShouldBe("root");
        e.Subject.ShouldBe("Pipeline for branch: master");
        e.State.ShouldBe(CommitState.Success);
        e.HeadSha.ShouldBe("bcbb5ec396a2c0f828686f14fac9b80b780504f2");
    }

    [Theory]
    [InlineData("running", CommitState.Pending)]
    [InlineData("pending", CommitState.Pending)]
    [InlineData("failed", CommitState.Failure)]
    [InlineData("canceled", CommitState.Error)]
    public void Pipeline_states_and_the_default_name(string status, CommitState expected)
    {
        const string Fixture = "gitlab-webhooks/pipeline_hook.json";
        var e = Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root =>
        {
            root["object_attributes"]!["status"] = status;
            root["object_attributes"]!.AsObject().Remove("name");
        }));

        e.State.ShouldBe(expected);
        e.Subject.ShouldBe("gitlab-ci");
    }
}
