using System.Text.Json;
using Forgeline.Bot.Forges;
using Forgeline.Testing;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>
/// Checks the fake GitHub against the real one: every field the fake answers with must exist, with the same JSON kind,
/// in the same object as real GitHub sent it (webhook payloads recorded from github.com carry issues, pull requests,
/// comments and commits in their REST shapes).
/// </summary>
public sealed class FakeGitHubContractTests : IAsyncLifetime
{
    private static readonly RepoRef Repo = GitHubClientHarness.Repo;
    private GitHubClientHarness harness = null!;

    public async Task InitializeAsync()
    {
        harness = await GitHubClientHarness.StartAsync();
        harness.State.AddCollaborator(Forge.GitHub, Repo.FullName, "bob");
        harness.State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(1, false, "alice", "An issue") { Labels = ["bug"], Assignees = ["bob"], Milestone = "v1", Body = "text" });
        harness.State.AddIssue(Forge.GitHub, Repo.FullName, new FakeIssue(2, true, "alice", "A pull") { Labels = ["bug"], Assignees = ["bob"], RequestedReviewers = ["bob"], Milestone = "v1", HeadSha = "abc", Commits = [new FakeCommit("abc", "Alice", "alice@example.com", "alice"), new FakeCommit("def", "Anon", "anon@example.com", null)] });
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task The_fakes_issue_has_the_shape_of_a_real_issue() =>
        ShapeMismatches(await GetAsync("repos/acme/widgets/issues/1"), Fixture("issues/milestoned.payload.json").GetProperty("issue")).ShouldBeEmpty();

    [Fact]
    public async Task The_fakes_pull_request_has_the_shape_of_a_real_pull_request()
    {
        var real = Fixture("pull_request/opened.payload.json").GetProperty("pull_request");

        ShapeMismatches(await GetAsync("repos/acme/widgets/pulls/2"), real).ShouldBeEmpty();
        ShapeMismatches(await GetAsync("repos/acme/widgets/issues/2"), Fixture("issues/milestoned.payload.json").GetProperty("issue")).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_fakes_comment_has_the_shape_of_a_real_comment()
    {
        using var http = Authorized();
        var posted = await http.PostAsync(new Uri(harness.Fake.GitHubUrl, "repos/acme/widgets/issues/1/comments"), new StringContent("""{"body":"from the bot"}"""));

        ((int)posted.StatusCode).ShouldBe(201);
        var comment = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement;
        ShapeMismatches(comment, Fixture("issue_comment/created.payload.json").GetProperty("comment")).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_fakes_pull_request_commits_have_the_shape_of_real_commits_with_and_without_a_known_author()
    {
        var commits = await GetAsync("repos/acme/widgets/pulls/2/commits");

        ShapeMismatches(commits[0], Fixture("status/payload.json").GetProperty("commit")).ShouldBeEmpty();
        ShapeMismatches(commits[1], Fixture("status/with-author-committer-null.payload.json").GetProperty("commit")).ShouldBeEmpty();
    }

    private static JsonElement Fixture(string path) => RecordedPayloads.Read("github-webhooks", path);

    private static List<string> ShapeMismatches(JsonElement fake, JsonElement real) => RecordedPayloads.ShapeMismatches(fake, real);

    private HttpClient Authorized()
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", harness.State.Token);
        return http;
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var http = Authorized();
        return JsonDocument.Parse(await http.GetStringAsync(new Uri(harness.Fake.GitHubUrl, path))).RootElement;
    }
}
