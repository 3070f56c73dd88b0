using System.Text.Json;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Forges.GitLab;
using Forgeline.Testing;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>The GitLab client against the fake GitLab: issues and merge requests, labels, notes, people, state.</summary>
public sealed partial class GitLabClientTests : IAsyncLifetime
{
    // A project in a subgroup: every path must carry it URL-encoded as one segment.
    private static readonly RepoRef Repo = new(Forge.GitLab, "acme/platform", "builder");
    private const string EncodedProject = "projects/acme%2Fplatform%2Fbuilder";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeClock clock = new();
    private readonly HttpClient http = new();
    private FakeForge forge = null!;
    private GitLabClient client = null!;

    private FakeForgeState State => forge.State;

    public async Task InitializeAsync()
    {
        forge = await FakeForge.StartAsync(clock);
        client = new GitLabClient(http, new ForgeClientOptions(forge.GitLabUrl, State.Token), clock);
        State.AddRepository(Forge.GitLab, Repo.FullName);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await forge.DisposeAsync();
    }

    [Fact]
    public async Task Reads_a_merge_request_by_iid_under_the_encoded_subgroup_path()
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(7, true, "alice", "Add the builder")
        {
            Body = "Fixes the build.",
            Labels = ["kind/feature"],
            Assignees = ["bob"],
            Milestone = "v1",
            HeadSha = "abc123",
            BaseRef = "release-1",
            Mergeable = false,
        });

        var mr = await client.GetIssueAsync(Repo, 7, CancellationToken.None);

        mr.ShouldBe(new IssueInfo(7, true, "alice", "Add the builder", "Fixes the build.", "open", mr.Labels, mr.Assignees, true, "abc123", "release-1", false));
        mr.Labels.ShouldBe(["kind/feature"]);
        mr.Assignees.ShouldBe(["bob"]);
        forge.Calls.Single().PathAndQuery.ShouldBe($"/gitlab/api/v4/{EncodedProject}/merge_requests/7");
    }

    [Fact]
    public async Task Reads_an_issue_by_its_negative_number_apart_from_the_merge_request_with_the_same_iid()
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(3, true, "alice", "A merge request") { HeadSha = "abc" });
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(-3, false, "carol", "An issue") { State = "closed" });

        var issue = await client.GetIssueAsync(Repo, IssueNumbering.FromGitLabIssue(3), CancellationToken.None);

        issue.ShouldBe(new IssueInfo(-3, false, "carol", "An issue", "", "closed", issue.Labels, issue.Assignees, false));
        issue.Labels.ShouldBeEmpty();
        forge.Calls.Single().Path.ShouldBe($"/gitlab/api/v4/{EncodedProject}/issues/3");
    }

    [Fact]
    public async Task A_missing_merge_request_is_a_404_with_gitlabs_message()
    {
        var error = await Should.ThrowAsync<ForgeApiException>(() => client.GetIssueAsync(Repo, 404, CancellationToken.None));

        error.StatusCode.ShouldBe(404);
        error.Message.ShouldContain("404 Merge Request Not Found");
    }

    [Fact]
    public async Task Adds_labels_in_one_update_keeping_those_there_and_creating_new_project_labels()
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(8, true, "alice", "t") { Labels = ["lgtm"] });

        await client.AddLabelsAsync(Repo, 8, ["approved", "lgtm"], CancellationToken.None);
        await client.AddLabelsAsync(Repo, 8, [], CancellationToken.None);

        State.Issue(Forge.GitLab, Repo.FullName, 8)!.Labels.ShouldBe(["lgtm", "approved"]);
        State.Repository(Forge.GitLab, Repo.FullName)!.Labels.ShouldContain("approved");
        var call = forge.Calls.Single();
        call.Method.ShouldBe("PUT");
        Json(call)["add_labels"].GetString().ShouldBe("approved,lgtm");
    }

    [Fact]
    public async Task Removes_a_label_and_removing_one_that_is_not_there_is_no_error()
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(-9, false, "alice", "t") { Labels = ["bug", "triage"] });

        await client.RemoveLabelAsync(Repo, -9, "triage", CancellationToken.None);
        await client.RemoveLabelAsync(Repo, -9, "never-there", CancellationToken.None);

        State.Issue(Forge.GitLab, Repo.FullName, -9)!.Labels.ShouldBe(["bug"]);
        Json(forge.Calls[0])["remove_labels"].GetString().ShouldBe("triage");
    }

    [Fact]
    public async Task Comments_are_notes_on_the_merge_request_or_the_issue()
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(4, true, "alice", "mr"));
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(-4, false, "alice", "issue"));

        await client.CreateCommentAsync(Repo, 4, "on the **MR**", CancellationToken.None);
        await client.CreateCommentAsync(Repo, -4, "on the issue", CancellationToken.None);

        State.Comments(Forge.GitLab, Repo.FullName, 4).Single().Body.ShouldBe("on the **MR**");
        State.Comments(Forge.GitLab, Repo.FullName, -4).Single().Body.ShouldBe("on the issue");
        forge.Calls.Select(c => c.Path).ShouldBe([
            $"/gitlab/api/v4/{EncodedProject}/merge_requests/4/notes",
            $"/gitlab/api/v4/{EncodedProject}/issues/4/notes",
        ]);
    }

    [Fact]
    public async Task Assigns_and_unassigns_by_user_id_keeping_the_other_assignees()
    {
        var bob = FakeGitLabApi.AddUser(State, "bob");
        var carol = FakeGitLabApi.AddUser(State, "carol");
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(5, true, "alice", "t") { Assignees = ["bob"] });

        await client.AddAssigneesAsync(Repo, 5, ["carol", "bob"], CancellationToken.None);
        State.Issue(Forge.GitLab, Repo.FullName, 5)!.Assignees.ShouldBe(["bob", "carol"]);
        Json(forge.Calls[^1])["assignee_ids"].EnumerateArray().Select(e => e.GetInt64()).ShouldBe([bob, carol]);

        await client.RemoveAssigneesAsync(Repo, 5, ["bob", "nobody-by-that-name"], CancellationToken.None);
        State.Issue(Forge.GitLab, Repo.FullName, 5)!.Assignees.ShouldBe(["carol"]);
    }

    [Fact]
    public async Task Assigning_a_user_gitlab_does_not_know_fails_without_changing_anything()
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(-6, false, "alice", "t"));

        var error = await Should.ThrowAsync<ForgeApiException>(() => client.AddAssigneesAsync(Repo, -6, ["ghost"], CancellationToken.None));

        error.StatusCode.ShouldBe(404);
        error.Message.ShouldContain("'ghost'");
        forge.Calls.ShouldNotContain(c => c.Method == "PUT");
    }

    [Fact]
    public async Task Requests_reviewers_on_a_merge_request_only()
    {
        var dave = FakeGitLabApi.AddUser(State, "dave");
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(10, true, "alice", "t"));

        await client.RequestReviewersAsync(Repo, 10, ["dave"], CancellationToken.None);

        State.Issue(Forge.GitLab, Repo.FullName, 10)!.RequestedReviewers.ShouldBe(["dave"]);
        Json(forge.Calls[^1])["reviewer_ids"].EnumerateArray().Single().GetInt64().ShouldBe(dave);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => client.RequestReviewersAsync(Repo, -10, ["dave"], CancellationToken.None));
    }

    [Fact]
    public async Task Closes_and_reopens_with_state_events()
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(11, true, "alice", "mr"));
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(-11, false, "alice", "issue"));

        await client.CloseAsync(Repo, 11, isPullRequest: true, CancellationToken.None);
        await client.CloseAsync(Repo, -11, isPullRequest: false, CancellationToken.None);
        State.Issue(Forge.GitLab, Repo.FullName, 11)!.State.ShouldBe("closed");
        State.Issue(Forge.GitLab, Repo.FullName, -11)!.State.ShouldBe("closed");

        await client.ReopenAsync(Repo, -11, isPullRequest: false, CancellationToken.None);
        State.Issue(Forge.GitLab, Repo.FullName, -11)!.State.ShouldBe("open");
        forge.Calls.Select(c => Json(c)["state_event"].GetString()).ShouldBe(["close", "close", "reopen"]);
    }

    [Fact]
    public async Task A_number_that_contradicts_is_pull_request_is_refused_before_any_call()
    {
        await Should.ThrowAsync<ArgumentException>(() => client.CloseAsync(Repo, 12, isPullRequest: false, CancellationToken.None));
        await Should.ThrowAsync<ArgumentException>(() => client.ReopenAsync(Repo, -12, isPullRequest: true, CancellationToken.None));
        forge.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Collaborators_are_developers_or_above_directly_or_through_a_parent_group()
    {
        State.AddCollaborator(Forge.GitLab, Repo.FullName, "dev");
        FakeGitLabApi.AddUser(State, "dev");
        FakeGitLabApi.SetAccessLevel(State, Repo.FullName, "reporter", 20);
        FakeGitLabApi.SetAccessLevel(State, "acme", "lead", 40);
        FakeGitLabApi.AddUser(State, "stranger");

        (await client.IsCollaboratorAsync(Repo, "dev", CancellationToken.None)).ShouldBeTrue();
        (await client.IsCollaboratorAsync(Repo, "lead", CancellationToken.None)).ShouldBeTrue();
        (await client.IsCollaboratorAsync(Repo, "reporter", CancellationToken.None)).ShouldBeFalse();
        (await client.IsCollaboratorAsync(Repo, "stranger", CancellationToken.None)).ShouldBeFalse();
        (await client.IsCollaboratorAsync(Repo, "no-such-user", CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task Group_members_count_in_their_subgroups_and_other_forges_are_refused()
    {
        State.AddOrgMember(Forge.GitLab, "acme", "erin");
        FakeGitLabApi.AddUser(State, "erin");
        FakeGitLabApi.AddUser(State, "frank");

        (await client.IsOrgMemberAsync(Forge.GitLab, "acme", "erin", CancellationToken.None)).ShouldBeTrue();
        (await client.IsOrgMemberAsync(Forge.GitLab, "acme/platform", "erin", CancellationToken.None)).ShouldBeTrue();
        (await client.IsOrgMemberAsync(Forge.GitLab, "acme", "frank", CancellationToken.None)).ShouldBeFalse();
        forge.Calls.ShouldContain(c => c.Path.EndsWith("/groups/acme%2Fplatform/members/all/" + FakeGitLabApi.AddUser(State, "erin"), StringComparison.Ordinal));
        await Should.ThrowAsync<ArgumentException>(() => client.IsOrgMemberAsync(Forge.GitHub, "acme", "erin", CancellationToken.None));
    }

    [Fact]
    public async Task The_token_goes_in_the_private_token_header_and_a_wrong_one_is_a_401()
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(1, true, "alice", "t"));
        using var other = new HttpClient();
        var stranger = new GitLabClient(other, new ForgeClientOptions(forge.GitLabUrl, "not-the-token"), clock);

        var error = await Should.ThrowAsync<ForgeApiException>(() => stranger.GetIssueAsync(Repo, 1, CancellationToken.None));

        error.StatusCode.ShouldBe(401);
        var call = forge.Calls.Single();
        call.Headers["PRIVATE-TOKEN"].ShouldBe("not-the-token");
        call.PathAndQuery.ShouldNotContain("not-the-token");
    }

    private static Dictionary<string, JsonElement> Json(FakeForgeCall call) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(call.Body)!;
}
