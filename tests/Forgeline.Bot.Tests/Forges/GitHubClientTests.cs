using Forgeline.Bot.Forges;
using Forgeline.Testing;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>Every <see cref="IForgeClient"/> call of the GitHub client against the fake GitHub: what it sends and what it makes of the answer.</summary>
public sealed class GitHubClientTests : IAsyncLifetime
{
    private static readonly RepoRef Repo = GitHubClientHarness.Repo;
    private static readonly CancellationToken None = CancellationToken.None;
    private GitHubClientHarness harness = null!;

    private FakeForgeState State => harness.State;

    private FakeForge Fake => harness.Fake;

    public async Task InitializeAsync() => harness = await GitHubClientHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task An_issue_is_read_with_its_labels_assignees_and_milestone_and_an_empty_body_as_empty_text()
    {
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(12, false, "alice", "Crash on start")
        {
            Labels = ["kind/bug", "priority/high"],
            Assignees = ["bob"],
            Milestone = "v1",
        });

        var issue = await harness.Client().GetIssueAsync(Repo, 12, None);

        issue.ShouldBe(new IssueInfo(12, false, "alice", "Crash on start", "", "open", issue.Labels, issue.Assignees, true));
        issue.Labels.ShouldBe(["kind/bug", "priority/high"]);
        issue.Assignees.ShouldBe(["bob"]);
        Fake.Calls.Select(c => $"{c.Method} {c.Path}").ShouldBe(["GET /repos/acme/widgets/issues/12"]);
    }

    [Fact]
    public async Task A_pull_request_is_read_with_its_head_base_and_mergeability_from_the_pulls_endpoint()
    {
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(7, true, "carol", "Add feature") { Body = "Does things", HeadSha = "abc123", BaseRef = "release-1", Mergeable = false });
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(8, true, "carol", "Merged one") { HeadSha = "def456", State = "merged", Mergeable = null });

        var open = await harness.Client().GetIssueAsync(Repo, 7, None);
        var merged = await harness.Client().GetIssueAsync(Repo, 8, None);

        open.IsPullRequest.ShouldBeTrue();
        (open.Body, open.State, open.HeadSha, open.BaseRef, open.Mergeable).ShouldBe(("Does things", "open", "abc123", "release-1", (bool?)false));
        (merged.State, merged.HeadSha, merged.Mergeable).ShouldBe(("merged", "def456", (bool?)null));
        Fake.Calls.Select(c => c.Path).ShouldContain("/repos/acme/widgets/pulls/7");
    }

    [Fact]
    public async Task A_missing_issue_is_a_404_ForgeApiException()
    {
        var error = await Should.ThrowAsync<ForgeApiException>(() => harness.Client().GetIssueAsync(Repo, 404, None));

        error.StatusCode.ShouldBe(404);
        error.Message.ShouldContain("GET repos/acme/widgets/issues/404");
        Fake.Calls.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Labels_are_added_to_those_there_and_created_on_the_repository()
    {
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(3, false, "alice", "t") { Labels = ["lgtm"] });

        await harness.Client().AddLabelsAsync(Repo, 3, ["kind/bug", "lgtm"], None);

        State.Issue(Forge.GitHub, Repo.FullName, 3)!.Labels.ShouldBe(["lgtm", "kind/bug"]);
        State.Repository(Forge.GitHub, Repo.FullName)!.Labels.ShouldContain("kind/bug");
        var call = Fake.Calls.Single();
        (call.Method, call.Path).ShouldBe(("POST", "/repos/acme/widgets/issues/3/labels"));
        GitHubClientHarness.Body(call).GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ShouldBe(["kind/bug", "lgtm"]);
    }

    [Fact]
    public async Task A_label_with_a_slash_is_removed_and_removing_one_not_there_is_not_an_error()
    {
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(3, false, "alice", "t") { Labels = ["kind/bug", "lgtm"] });

        await harness.Client().RemoveLabelAsync(Repo, 3, "kind/bug", None);
        await harness.Client().RemoveLabelAsync(Repo, 3, "do-not-merge/hold", None);

        State.Issue(Forge.GitHub, Repo.FullName, 3)!.Labels.ShouldBe(["lgtm"]);
        Fake.Calls.Select(c => (c.Method, c.Path, c.StatusCode)).ShouldBe([
            ("DELETE", "/repos/acme/widgets/issues/3/labels/kind%2Fbug", 200),
            ("DELETE", "/repos/acme/widgets/issues/3/labels/do-not-merge%2Fhold", 404),
        ]);
    }

    [Fact]
    public async Task A_comment_is_posted_as_the_bot_with_its_markdown_intact()
    {
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(5, true, "alice", "t") { HeadSha = "abc" });
        const string text = "**LGTM** by `bob`\n\n<details>\"quoted\" & ünïcode</details>";

        await harness.Client().CreateCommentAsync(Repo, 5, text, None);

        var comment = State.Comments(Forge.GitHub, Repo.FullName, 5).ShouldHaveSingleItem();
        (comment.Author, comment.Body).ShouldBe((State.BotLogin, text));
        GitHubClientHarness.Body(Fake.Calls.Single()).GetProperty("body").GetString().ShouldBe(text);
    }

    [Fact]
    public async Task Assignees_are_added_and_removed_with_their_logins_in_the_body()
    {
        State.AddCollaborator(Forge.GitHub, Repo.FullName, "bob");
        State.AddCollaborator(Forge.GitHub, Repo.FullName, "dave");
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(4, false, "alice", "t") { Assignees = ["dave"] });

        await harness.Client().AddAssigneesAsync(Repo, 4, ["bob"], None);
        State.Issue(Forge.GitHub, Repo.FullName, 4)!.Assignees.ShouldBe(["dave", "bob"]);
        await harness.Client().RemoveAssigneesAsync(Repo, 4, ["dave"], None);

        State.Issue(Forge.GitHub, Repo.FullName, 4)!.Assignees.ShouldBe(["bob"]);
        var calls = Fake.Calls;
        calls.Select(c => $"{c.Method} {c.Path}").ShouldBe(["POST /repos/acme/widgets/issues/4/assignees", "DELETE /repos/acme/widgets/issues/4/assignees"]);
        GitHubClientHarness.Body(calls[1]).GetProperty("assignees")[0].GetString().ShouldBe("dave");
    }

    [Fact]
    public async Task Reviews_are_requested_and_GitHubs_refusal_for_the_author_comes_back_with_its_message()
    {
        State.AddCollaborator(Forge.GitHub, Repo.FullName, "bob");
        State.AddCollaborator(Forge.GitHub, Repo.FullName, "alice");
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(9, true, "alice", "t") { HeadSha = "abc" });

        await harness.Client().RequestReviewersAsync(Repo, 9, ["bob"], None);
        var error = await Should.ThrowAsync<ForgeApiException>(() => harness.Client().RequestReviewersAsync(Repo, 9, ["alice"], None));

        State.Issue(Forge.GitHub, Repo.FullName, 9)!.RequestedReviewers.ShouldBe(["bob"]);
        GitHubClientHarness.Body(Fake.Calls[0]).GetProperty("reviewers")[0].GetString().ShouldBe("bob");
        error.StatusCode.ShouldBe(422);
        error.Message.ShouldContain("Review cannot be requested from pull request author.");
        Fake.Calls.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Issues_close_through_the_issues_endpoint_and_pull_requests_through_the_pulls_endpoint()
    {
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(1, false, "alice", "issue"));
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(2, true, "alice", "pull") { HeadSha = "abc" });
        var client = harness.Client();

        await client.CloseAsync(Repo, 1, false, None);
        await client.CloseAsync(Repo, 2, true, None);
        State.Issue(Forge.GitHub, Repo.FullName, 1)!.State.ShouldBe("closed");
        State.Issue(Forge.GitHub, Repo.FullName, 2)!.State.ShouldBe("closed");
        await client.ReopenAsync(Repo, 2, true, None);

        State.Issue(Forge.GitHub, Repo.FullName, 2)!.State.ShouldBe("open");
        Fake.Calls.Select(c => $"{c.Method} {c.Path} {GitHubClientHarness.Body(c).GetProperty("state")}").ShouldBe([
            "PATCH /repos/acme/widgets/issues/1 closed",
            "PATCH /repos/acme/widgets/pulls/2 closed",
            "PATCH /repos/acme/widgets/pulls/2 open",
        ]);
    }

    [Fact]
    public async Task Collaborators_and_organisation_members_are_told_by_204_or_404()
    {
        State.AddCollaborator(Forge.GitHub, Repo.FullName, "bob");
        State.AddOrgMember(Forge.GitHub, "acme", "carol");
        var client = harness.Client();

        (await client.IsCollaboratorAsync(Repo, "bob", None)).ShouldBeTrue();
        (await client.IsCollaboratorAsync(Repo, "mallory", None)).ShouldBeFalse();
        (await client.IsOrgMemberAsync(Forge.GitHub, "acme", "carol", None)).ShouldBeTrue();
        (await client.IsOrgMemberAsync(Forge.GitHub, "acme", "bob", None)).ShouldBeFalse();
        await Should.ThrowAsync<ArgumentException>(() => client.IsOrgMemberAsync(Forge.Gitee, "acme", "carol", None));

        Fake.Calls.Select(c => $"{c.Path} {c.StatusCode}").ShouldBe([
            "/repos/acme/widgets/collaborators/bob 204",
            "/repos/acme/widgets/collaborators/mallory 404",
            "/orgs/acme/members/carol 204",
            "/orgs/acme/members/bob 404",
        ]);
    }

    [Fact]
    public async Task A_file_is_read_at_a_ref_and_a_missing_file_ref_or_a_directory_is_null()
    {
        var owners = "approvers:\n  - alice\n  - bob\n# ünïcode, and long enough for GitHub to wrap its base64 over several lines\n";
        State.SetFile(Forge.GitHub, Repo.FullName, "main", "OWNERS", "approvers: [old]\n");
        State.SetFile(Forge.GitHub, Repo.FullName, "abc123", "OWNERS", owners);
        State.SetFile(Forge.GitHub, Repo.FullName, "abc123", "docs/a b.md", "spaces");
        var client = harness.Client();

        (await client.GetFileAsync(Repo, "OWNERS", "abc123", None)).ShouldBe(owners);
        (await client.GetFileAsync(Repo, "OWNERS", "main", None)).ShouldBe("approvers: [old]\n");
        (await client.GetFileAsync(Repo, "docs/a b.md", "abc123", None)).ShouldBe("spaces");
        (await client.GetFileAsync(Repo, "MISSING", "abc123", None)).ShouldBeNull();
        (await client.GetFileAsync(Repo, "OWNERS", "no-such-branch", None)).ShouldBeNull();
        (await client.GetFileAsync(Repo, "docs", "abc123", None)).ShouldBeNull();

        Fake.Calls[0].PathAndQuery.ShouldBe("/repos/acme/widgets/contents/OWNERS?ref=abc123");
        Fake.Calls[2].PathAndQuery.ShouldBe("/repos/acme/widgets/contents/docs/a%20b.md?ref=abc123");
    }

    [Fact]
    public async Task Changed_files_are_read_over_every_page_with_both_sides_of_renames()
    {
        var files = Enumerable.Range(0, 250).Select(i => new FakeChangedFile($"src/file{i:000}.c")).ToList();
        files[120] = new FakeChangedFile("src/new-name.c", "renamed", "src/old-name.c");
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(6, true, "alice", "big") { HeadSha = "abc", ChangedFiles = [.. files] });

        var paths = await harness.Client().GetChangedFilesAsync(Repo, 6, None);

        paths.Count.ShouldBe(251);
        paths.ShouldContain("src/file249.c");
        paths.ShouldContain("src/new-name.c");
        paths.ShouldContain("src/old-name.c");
        Fake.Calls.Select(c => c.PathAndQuery).ShouldBe([
            "/repos/acme/widgets/pulls/6/files?per_page=100&page=1",
            "/repos/acme/widgets/pulls/6/files?per_page=100&page=2",
            "/repos/acme/widgets/pulls/6/files?per_page=100&page=3",
        ]);
    }

    [Fact]
    public async Task Commits_are_read_over_every_page_with_the_author_login_when_GitHub_knows_it()
    {
        var commits = Enumerable.Range(0, 130).Select(i => new FakeCommit($"sha{i:000}", $"Dev {i}", $"dev{i}@example.com", $"dev{i}")).ToList();
        commits[129] = new FakeCommit("sha129", "Stranger", "stranger@example.org", null);
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(6, true, "alice", "t") { HeadSha = "sha129", Commits = [.. commits] });

        var read = await harness.Client().GetCommitsAsync(Repo, 6, None);

        read.Count.ShouldBe(130);
        read[0].ShouldBe(new CommitInfo("sha000", "Dev 0", "dev0@example.com", "dev0"));
        read[129].ShouldBe(new CommitInfo("sha129", "Stranger", "stranger@example.org", null));
        Fake.Calls.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Statuses_are_set_and_read_back_as_the_latest_per_context()
    {
        var client = harness.Client();

        await client.SetStatusAsync(Repo, "abc", new CommitStatus("forgeline/build", CommitState.Pending, "Building"), None);
        await client.SetStatusAsync(Repo, "abc", new CommitStatus("forgeline/build", CommitState.Failure, "2 of 3 failed", "https://ci.example/b/1"), None);
        await client.SetStatusAsync(Repo, "abc", new CommitStatus("cla", CommitState.Success, new string('x', 200)), None);
        var statuses = await client.GetStatusesAsync(Repo, "abc", None);

        statuses.Count.ShouldBe(2);
        statuses.ShouldContain(new CommitStatus("forgeline/build", CommitState.Failure, "2 of 3 failed", "https://ci.example/b/1"));
        statuses.Single(s => s.Context == "cla").Description.Length.ShouldBe(140);
        var first = GitHubClientHarness.Body(Fake.Calls[0]);
        (first.GetProperty("state").GetString(), first.GetProperty("context").GetString()).ShouldBe(("pending", "forgeline/build"));
        first.TryGetProperty("target_url", out _).ShouldBeFalse();
        Fake.Calls[0].Path.ShouldBe("/repos/acme/widgets/statuses/abc");
    }

    [Fact]
    public async Task A_merge_sends_the_head_sha_and_method_and_GitHubs_refusals_keep_their_message()
    {
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(10, true, "alice", "ok") { HeadSha = "head10" });
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(11, true, "alice", "moved") { HeadSha = "new11" });
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(12, true, "alice", "conflict") { HeadSha = "head12", Mergeable = false });
        var client = harness.Client();

        await client.MergeAsync(Repo, 10, "head10", MergeMethod.Squash, None);
        var moved = await Should.ThrowAsync<ForgeApiException>(() => client.MergeAsync(Repo, 11, "old11", MergeMethod.Merge, None));
        var conflict = await Should.ThrowAsync<ForgeApiException>(() => client.MergeAsync(Repo, 12, "head12", MergeMethod.Rebase, None));

        State.Merges.ShouldBe([new FakeMerge(Forge.GitHub, Repo.FullName, 10, "head10", "squash")]);
        State.Issue(Forge.GitHub, Repo.FullName, 10)!.State.ShouldBe("merged");
        (moved.StatusCode, conflict.StatusCode).ShouldBe((409, 405));
        moved.Message.ShouldContain("Head branch was modified");
        conflict.Message.ShouldContain("Pull Request is not mergeable");
        var body = GitHubClientHarness.Body(Fake.Calls[0]);
        (body.GetProperty("sha").GetString(), body.GetProperty("merge_method").GetString()).ShouldBe(("head10", "squash"));
        Fake.Calls.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Requests_carry_the_bearer_token_user_agent_and_api_version_and_a_wrong_token_is_a_401()
    {
        State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(1, false, "alice", "t"));

        await harness.Client().GetIssueAsync(Repo, 1, None);
        var error = await Should.ThrowAsync<ForgeApiException>(() => harness.Client(harness.Options("wrong-token")).GetIssueAsync(Repo, 1, None));

        var headers = Fake.Calls[0].Headers;
        headers["Authorization"].ShouldBe($"Bearer {State.Token}");
        headers["User-Agent"].ShouldBe("forgeline-bot");
        headers["X-GitHub-Api-Version"].ShouldBe("2022-11-28");
        error.StatusCode.ShouldBe(401);
        error.Message.ShouldContain("Bad credentials");
        Fake.Calls.Count.ShouldBe(2);
    }
}
