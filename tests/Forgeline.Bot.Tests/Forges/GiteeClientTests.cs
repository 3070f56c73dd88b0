using System.Text.Json;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Forges.Gitee;
using Forgeline.Testing;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>The Gitee client against the fake Gitee: pull requests and string-numbered issues, labels, comments, people, state.</summary>
public sealed partial class GiteeClientTests : IAsyncLifetime
{
    private static readonly RepoRef Repo = new(Forge.Gitee, "openeuler", "kernel");
    private const string RepoPath = "/gitee/api/v5/repos/openeuler/kernel";

    private readonly FakeClock clock = new();
    private readonly HttpClient http = new();
    private FakeForge forge = null!;
    private GiteeClient client = null!;

    private FakeForgeState State => forge.State;

    public async Task InitializeAsync()
    {
        forge = await FakeForge.StartAsync(clock);
        client = new GiteeClient(http, new ForgeClientOptions(forge.GiteeUrl, State.Token), clock);
        State.AddRepository(Forge.Gitee, Repo.FullName, "master");
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await forge.DisposeAsync();
    }

    [Fact]
    public async Task Reads_a_pull_request_by_number()
    {
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(8, true, "kit101", "feat-3")
        {
            Body = "Adds feat-3.",
            Labels = ["question"],
            Assignees = ["reviewer1"],
            HeadSha = "51b2dd1",
            BaseRef = "master",
            Mergeable = true,
        });

        var pull = await client.GetIssueAsync(Repo, 8, CancellationToken.None);

        pull.ShouldBe(new IssueInfo(8, true, "kit101", "feat-3", "Adds feat-3.", "open", pull.Labels, pull.Assignees, false, "51b2dd1", "master", true));
        pull.Labels.ShouldBe(["question"]);
        pull.Assignees.ShouldBe(["reviewer1"]);
        forge.Calls.Single().Path.ShouldBe($"{RepoPath}/pulls/8");
    }

    [Fact]
    public async Task Reads_an_issue_by_its_string_number_with_assignee_then_collaborators()
    {
        var number = IssueNumbering.FromGiteeIssue("I4CYEO");
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(number, false, "kit101", "test issue hook") { Assignees = ["kit101"], Milestone = "m1" });
        await client.AddAssigneesAsync(Repo, number, ["helper"], CancellationToken.None);

        var issue = await client.GetIssueAsync(Repo, number, CancellationToken.None);

        issue.ShouldBe(new IssueInfo(number, false, "kit101", "test issue hook", "", "open", issue.Labels, issue.Assignees, true));
        issue.Assignees.ShouldBe(["kit101", "helper"]);
        forge.Calls[^1].Path.ShouldBe($"{RepoPath}/issues/I4CYEO");
    }

    [Fact]
    public async Task Adds_labels_creating_the_ones_the_repository_lacks_first()
    {
        State.UpdateRepository(Forge.Gitee, Repo.FullName, r => r with { Labels = r.Labels.Add("lgtm") });
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(9, true, "kit101", "t"));

        await client.AddLabelsAsync(Repo, 9, ["lgtm", "approved"], CancellationToken.None);

        State.Issue(Forge.Gitee, Repo.FullName, 9)!.Labels.ShouldBe(["lgtm", "approved"]);
        var created = forge.Calls.Single(c => c.Method == "POST" && c.Path == $"{RepoPath}/labels");
        Json(created).GetProperty("name").GetString().ShouldBe("approved");
        var attached = forge.Calls.Single(c => c.Path == $"{RepoPath}/pulls/9/labels");
        JsonSerializer.Deserialize<string[]>(attached.Body).ShouldBe(["lgtm", "approved"]);
    }

    [Fact]
    public async Task Reads_every_page_of_repository_labels_before_deciding_what_to_create()
    {
        var many = Enumerable.Range(0, 150).Select(i => $"area/{i:000}").ToList();
        State.UpdateRepository(Forge.Gitee, Repo.FullName, r => r with { Labels = r.Labels.Union(many) });
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(IssueNumbering.FromGiteeIssue("I1ICN6"), false, "kit101", "t"));

        await client.AddLabelsAsync(Repo, IssueNumbering.FromGiteeIssue("I1ICN6"), ["area/149"], CancellationToken.None);

        forge.Calls.Count(c => c.Method == "GET" && c.Path == $"{RepoPath}/labels").ShouldBe(2);
        forge.Calls.ShouldNotContain(c => c.Method == "POST" && c.Path == $"{RepoPath}/labels");
        State.Issue(Forge.Gitee, Repo.FullName, IssueNumbering.FromGiteeIssue("I1ICN6"))!.Labels.ShouldBe(["area/149"]);
    }

    [Fact]
    public async Task Removes_a_label_and_removing_one_that_is_not_there_is_no_error()
    {
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(10, true, "kit101", "t") { Labels = ["ci_processing", "lgtm"] });

        await client.RemoveLabelAsync(Repo, 10, "ci_processing", CancellationToken.None);
        await client.RemoveLabelAsync(Repo, 10, "never-there", CancellationToken.None);

        State.Issue(Forge.Gitee, Repo.FullName, 10)!.Labels.ShouldBe(["lgtm"]);
        forge.Calls.Select(c => c.StatusCode).ShouldBe([204, 404]);
    }

    [Fact]
    public async Task Comments_on_pull_requests_and_issues()
    {
        var issue = IssueNumbering.FromGiteeIssue("I00001");
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(11, true, "kit101", "pr"));
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(issue, false, "kit101", "issue"));

        await client.CreateCommentAsync(Repo, 11, "on the PR", CancellationToken.None);
        await client.CreateCommentAsync(Repo, issue, "on the issue", CancellationToken.None);

        State.Comments(Forge.Gitee, Repo.FullName, 11).Single().Body.ShouldBe("on the PR");
        State.Comments(Forge.Gitee, Repo.FullName, issue).Single().Body.ShouldBe("on the issue");
        forge.Calls.Select(c => c.Path).ShouldBe([$"{RepoPath}/pulls/11/comments", $"{RepoPath}/issues/I00001/comments"]);
    }

    [Fact]
    public async Task Pull_request_assignees_are_added_and_removed_as_comma_separated_logins()
    {
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(12, true, "kit101", "t") { Assignees = ["a"] });

        await client.AddAssigneesAsync(Repo, 12, ["b", "c"], CancellationToken.None);
        State.Issue(Forge.Gitee, Repo.FullName, 12)!.Assignees.ShouldBe(["a", "b", "c"]);
        Json(forge.Calls[^1]).GetProperty("assignees").GetString().ShouldBe("b,c");

        await client.RemoveAssigneesAsync(Repo, 12, ["a", "c"], CancellationToken.None);
        State.Issue(Forge.Gitee, Repo.FullName, 12)!.Assignees.ShouldBe(["b"]);
        forge.Calls[^1].PathAndQuery.ShouldStartWith($"{RepoPath}/pulls/12/assignees?assignees=a%2Cc&access_token=");
    }

    [Fact]
    public async Task Requesting_reviewers_assigns_them_on_gitee_and_is_refused_on_issues()
    {
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(13, true, "kit101", "t"));

        await client.RequestReviewersAsync(Repo, 13, ["maintainer"], CancellationToken.None);

        State.Issue(Forge.Gitee, Repo.FullName, 13)!.Assignees.ShouldBe(["maintainer"]);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => client.RequestReviewersAsync(Repo, -5, ["maintainer"], CancellationToken.None));
    }

    [Fact]
    public async Task An_issue_has_one_assignee_and_further_people_are_its_collaborators()
    {
        var number = IssueNumbering.FromGiteeIssue("IB7QXZ");
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(number, false, "kit101", "t"));

        await client.AddAssigneesAsync(Repo, number, ["first", "second", "third"], CancellationToken.None);
        State.Issue(Forge.Gitee, Repo.FullName, number)!.Assignees.ShouldBe(["first"]);
        FakeGiteeApi.IssueCollaborators(State, Repo.FullName, number).ShouldBe(["second", "third"]);
        var update = forge.Calls[^1];
        update.Method.ShouldBe("PATCH");
        update.Path.ShouldBe("/gitee/api/v5/repos/openeuler/issues/IB7QXZ");
        Json(update).GetProperty("repo").GetString().ShouldBe("kernel");

        await client.RemoveAssigneesAsync(Repo, number, ["first", "third"], CancellationToken.None);
        State.Issue(Forge.Gitee, Repo.FullName, number)!.Assignees.ShouldBeEmpty();
        FakeGiteeApi.IssueCollaborators(State, Repo.FullName, number).ShouldBe(["second"]);
    }

    [Fact]
    public async Task Closes_and_reopens_pull_requests_and_issues()
    {
        var issue = IssueNumbering.FromGiteeIssue("I00002");
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(14, true, "kit101", "pr"));
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(issue, false, "kit101", "issue"));

        await client.CloseAsync(Repo, 14, isPullRequest: true, CancellationToken.None);
        await client.CloseAsync(Repo, issue, isPullRequest: false, CancellationToken.None);
        State.Issue(Forge.Gitee, Repo.FullName, 14)!.State.ShouldBe("closed");
        State.Issue(Forge.Gitee, Repo.FullName, issue)!.State.ShouldBe("closed");

        await client.ReopenAsync(Repo, 14, isPullRequest: true, CancellationToken.None);
        State.Issue(Forge.Gitee, Repo.FullName, 14)!.State.ShouldBe("open");
        forge.Calls.Select(c => $"{c.Method} {c.Path} {Json(c).GetProperty("state").GetString()}").ShouldBe([
            $"PATCH {RepoPath}/pulls/14 closed",
            "PATCH /gitee/api/v5/repos/openeuler/issues/I00002 closed",
            $"PATCH {RepoPath}/pulls/14 open",
        ]);
        await Should.ThrowAsync<ArgumentException>(() => client.CloseAsync(Repo, issue, isPullRequest: true, CancellationToken.None));
    }

    [Fact]
    public async Task Collaborators_need_write_or_admin_permission()
    {
        State.AddCollaborator(Forge.Gitee, Repo.FullName, "writer");
        FakeGiteeApi.SetPermission(State, Repo.FullName, "owner", "admin");
        FakeGiteeApi.SetPermission(State, Repo.FullName, "watcher", "read");

        (await client.IsCollaboratorAsync(Repo, "writer", CancellationToken.None)).ShouldBeTrue();
        (await client.IsCollaboratorAsync(Repo, "owner", CancellationToken.None)).ShouldBeTrue();
        (await client.IsCollaboratorAsync(Repo, "watcher", CancellationToken.None)).ShouldBeFalse();
        (await client.IsCollaboratorAsync(Repo, "stranger", CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task Organisation_members_are_read_from_memberships()
    {
        State.AddOrgMember(Forge.Gitee, "openeuler", "member");

        (await client.IsOrgMemberAsync(Forge.Gitee, "openeuler", "member", CancellationToken.None)).ShouldBeTrue();
        (await client.IsOrgMemberAsync(Forge.Gitee, "openeuler", "outsider", CancellationToken.None)).ShouldBeFalse();
        forge.Calls[0].Path.ShouldBe("/gitee/api/v5/orgs/openeuler/memberships/member");
        await Should.ThrowAsync<ArgumentException>(() => client.IsOrgMemberAsync(Forge.GitLab, "openeuler", "member", CancellationToken.None));
    }

    [Fact]
    public async Task The_token_goes_in_the_access_token_query_and_a_wrong_one_is_a_401()
    {
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(1, true, "kit101", "t"));
        using var other = new HttpClient();
        var stranger = new GiteeClient(other, new ForgeClientOptions(forge.GiteeUrl, "not the token"), clock);

        var error = await Should.ThrowAsync<ForgeApiException>(() => stranger.GetIssueAsync(Repo, 1, CancellationToken.None));

        error.StatusCode.ShouldBe(401);
        error.Message.ShouldNotContain("not the token");
        forge.Calls.Single().PathAndQuery.ShouldBe($"{RepoPath}/pulls/1?access_token=not%20the%20token");
    }

    private static JsonElement Json(FakeForgeCall call) => JsonDocument.Parse(call.Body).RootElement.Clone();
}
