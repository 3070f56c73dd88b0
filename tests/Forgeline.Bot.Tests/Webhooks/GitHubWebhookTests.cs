using System.Text.Json.Nodes;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;

namespace Forgeline.Bot.Tests.Webhooks;

/// <summary>GitHub payloads (octokit's recorded examples) become the events the plugins rely on, field by field.</summary>
public sealed class GitHubWebhookTests
{
    private static readonly RepoRef HelloWorld = new(Forge.GitHub, "Codertocat", "Hello-World");
    private const string Clone = "https://github.com/Codertocat/Hello-World.git";
    private const string Head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

    [Fact]
    public void A_comment_on_an_issue()
    {
        var e = Deliveries.Parse("github-webhooks/issue_comment/created.payload.json");
        Deliveries.Parse("github-webhooks/issue_comment/created.1.payload.json").HasMilestone.ShouldBe(false);

        e.ShouldBe(new BotEvent
        {
            DeliveryId = "delivery-1",
            Kind = BotEventKind.Comment,
            Action = "created",
            Repo = HelloWorld,
            Sender = "Codertocat",
            Number = 1,
            IsPullRequest = false,
            Author = "Codertocat",
            Title = "Spelling error in the README file",
            Body = "It looks like you accidently spelled 'commit' with two 't's.",
            Labels = e.Labels,
            HasMilestone = true,
            Comment = new CommentInfo("492700400", "You are totally right! I'll get this fixed right away."),
            CloneUrl = Clone,
        });
        e.Labels.ShouldBe(["bug"]);
    }

    [Fact]
    public void A_comment_on_a_pull_request_is_marked_as_one()
    {
        // GitHub sends PR comments as issue_comment whose issue has a pull_request object.
        const string Fixture = "github-webhooks/issue_comment/created.with-organization.payload.json";
        var e = Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root =>
        {
            root["issue"]!["pull_request"] = new JsonObject { ["url"] = "https://api.github.com/repos/Codertocat/Hello-World/pulls/1" };
            root["comment"]!["body"] = "/lgtm";
        }));

        e.Kind.ShouldBe(BotEventKind.Comment);
        e.IsPullRequest.ShouldBeTrue();
        e.Number.ShouldBe(1);
        e.HasMilestone.ShouldBe(true);
        e.Comment.ShouldBe(new CommentInfo("492700400", "/lgtm"));
    }

    [Fact]
    public void An_edited_comment_carries_its_previous_text()
    {
        var e = Deliveries.Parse("github-webhooks/issue_comment/edited.payload.json");

        e.Action.ShouldBe("edited");
        e.Comment.ShouldBe(new CommentInfo(
            "492700400",
            "You are totally right! I'll get this fixed today.",
            "You are totally right! I'll get this fixed right away."));
    }

    [Fact]
    public void A_deleted_comment_has_no_text()
    {
        var e = Deliveries.Parse("github-webhooks/issue_comment/deleted.payload.json");

        e.Action.ShouldBe("deleted");
        e.Comment.ShouldBe(new CommentInfo("492700400", ""));
    }

    [Fact]
    public void A_review_comment_is_a_comment_on_the_pull_request()
    {
        var e = Deliveries.Parse("github-webhooks/pull_request_review_comment/created.payload.json");

        e.Kind.ShouldBe(BotEventKind.Comment);
        e.IsPullRequest.ShouldBeTrue();
        e.Number.ShouldBe(2);
        e.HeadSha.ShouldBe(Head);
        e.Comment.ShouldBe(new CommentInfo("284312630", "Maybe you should use more emoji on this line."));
    }

    [Fact]
    public void An_opened_pull_request()
    {
        var e = Deliveries.Parse("github-webhooks/pull_request/opened.payload.json");

        e.ShouldBe(new BotEvent
        {
            DeliveryId = "delivery-1",
            Kind = BotEventKind.PullRequest,
            Action = "opened",
            Repo = HelloWorld,
            Sender = "Codertocat",
            Number = 2,
            IsPullRequest = true,
            Author = "Codertocat",
            Title = "Update the README with new information.",
            Body = "This is a pretty simple change that we need to pull into master.",
            Labels = e.Labels,
            HasMilestone = false,
            HeadSha = Head,
            Ref = "master",
            CloneUrl = Clone,
        });
        e.Labels.ShouldBe(["bug"]);
    }

    [Fact]
    public void New_commits_are_synchronized()
    {
        var e = Deliveries.Parse("github-webhooks/pull_request/synchronize.payload.json");

        e.Action.ShouldBe("synchronized");
        e.HeadSha.ShouldBe(Head);
    }

    [Fact]
    public void A_closed_pull_request_is_merged_when_github_says_so()
    {
        const string Fixture = "github-webhooks/pull_request/closed.payload.json";
        Deliveries.Parse(Fixture).Action.ShouldBe("closed");

        var merged = Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root => root["pull_request"]!["merged"] = true));
        merged.Action.ShouldBe("merged");
        merged.Number.ShouldBe(2);
    }

    [Fact]
    public void A_label_event_names_the_label()
    {
        var labeled = Deliveries.Parse("github-webhooks/pull_request/labeled.payload.json");
        labeled.Action.ShouldBe("labeled");
        labeled.Subject.ShouldBe("bug");
        labeled.HasMilestone.ShouldBe(true);

        var unlabeled = Deliveries.Parse("github-webhooks/issues/unlabeled.payload.json");
        unlabeled.Kind.ShouldBe(BotEventKind.Issue);
        unlabeled.Action.ShouldBe("unlabeled");
        unlabeled.Subject.ShouldBe("bug");
        unlabeled.IsPullRequest.ShouldBeFalse();
    }

    [Fact]
    public void Issue_milestone_events()
    {
        var e = Deliveries.Parse("github-webhooks/issues/milestoned.payload.json");

        e.Kind.ShouldBe(BotEventKind.Issue);
        e.Action.ShouldBe("milestoned");
        e.Number.ShouldBe(2);
        e.HasMilestone.ShouldBe(true);
    }

    [Fact]
    public void Pushes_say_whether_the_ref_was_created_deleted_or_moved()
    {
        var created = Deliveries.Parse("github-webhooks/push/with-new-branch.payload.json");
        created.Kind.ShouldBe(BotEventKind.Push);
        created.Action.ShouldBe("created");
        created.Ref.ShouldBe("refs/heads/master");
        created.HeadSha.ShouldBe("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
        created.Sender.ShouldBe("Codertocat");
        created.Number.ShouldBeNull();
        created.CloneUrl.ShouldBe(Clone);

        var deleted = Deliveries.Parse("github-webhooks/push/payload.json");
        deleted.Action.ShouldBe("deleted");
        deleted.Ref.ShouldBe("refs/tags/simple-tag");
        deleted.HeadSha.ShouldBeNull();

        const string Fixture = "github-webhooks/push/with-new-branch.payload.json";
        var moved = Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root => root["created"] = false));
        moved.Action.ShouldBe("pushed");
    }

    [Fact]
    public void A_status()
    {
        var e = Deliveries.Parse("github-webhooks/status/payload.json");

        e.Kind.ShouldBe(BotEventKind.Status);
        e.Action.ShouldBe("updated");
        e.Subject.ShouldBe("default");
        e.State.ShouldBe(CommitState.Success);
        e.HeadSha.ShouldBe("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
        e.Number.ShouldBeNull();
    }

    [Theory]
    [InlineData("pending", CommitState.Pending)]
    [InlineData("failure", CommitState.Failure)]
    [InlineData("error", CommitState.Error)]
    public void Status_states(string state, CommitState expected)
    {
        const string Fixture = "github-webhooks/status/payload.json";
        Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root => root["state"] = state)).State.ShouldBe(expected);
    }

    [Fact]
    public void Check_runs_are_statuses_named_after_the_run()
    {
        var passed = Deliveries.Parse("github-webhooks/check_run/completed.payload.json");
        passed.Kind.ShouldBe(BotEventKind.Status);
        passed.Action.ShouldBe("updated");
        passed.Subject.ShouldBe("Octocoders-linter");
        passed.State.ShouldBe(CommitState.Success);
        passed.HeadSha.ShouldBe(Head);

        Deliveries.Parse("github-webhooks/check_run/completed.1.payload.json").State.ShouldBe(CommitState.Failure);
        Deliveries.Parse("github-webhooks/check_run/created.payload.json").State.ShouldBe(CommitState.Pending);
    }

    [Theory]
    [InlineData("neutral", CommitState.Success)]
    [InlineData("skipped", CommitState.Success)]
    [InlineData("timed_out", CommitState.Failure)]
    [InlineData("action_required", CommitState.Failure)]
    [InlineData("cancelled", CommitState.Error)]
    [InlineData("stale", CommitState.Error)]
    public void Check_run_conclusions(string conclusion, CommitState expected)
    {
        const string Fixture = "github-webhooks/check_run/completed.payload.json";
        Deliveries.Parse(Fixture, Deliveries.Edited(Fixture, root => root["check_run"]!["conclusion"] = conclusion)).State.ShouldBe(expected);
    }

    [Fact]
    public void A_review_carries_its_state()
    {
        var e = Deliveries.Parse("github-webhooks/pull_request_review/submitted.payload.json");

        e.Kind.ShouldBe(BotEventKind.Review);
        e.Action.ShouldBe("submitted");
        e.Subject.ShouldBe("commented");
        e.Number.ShouldBe(2);
        e.Comment.ShouldBe(new CommentInfo("237895671", ""));
    }

    [Fact]
    public void A_ping()
    {
        var e = Deliveries.Parse("github-webhooks/ping/payload.json");

        e.Kind.ShouldBe(BotEventKind.Ping);
        e.Repo.ShouldBe(new RepoRef(Forge.GitHub, "Octocoders", "Hello-World"));
    }
}
