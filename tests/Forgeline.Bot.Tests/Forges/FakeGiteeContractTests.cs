using System.Text;
using System.Text.Json;
using Forgeline.Bot.Forges;
using Forgeline.Testing;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>
/// Checks the fake Gitee against the real one: every field the fake answers with must exist, with the same JSON kind, in
/// the same object as Gitee sent it (Gitee's webhook payloads carry pull requests, issues and comments in their API v5
/// shapes). GitLab's webhooks use their own shapes (<c>object_attributes</c>), so they cannot check the fake GitLab.
/// </summary>
public sealed class FakeGiteeContractTests : IAsyncLifetime
{
    private const string Folder = "gitee-webhooks";
    private static readonly string IssueNumber = "I4CYEO";
    private FakeForge forge = null!;

    public async Task InitializeAsync()
    {
        forge = await FakeForge.StartAsync();
        forge.State.AddIssue(Forge.Gitee, "kit101/drone-yml-test", new FakeIssue(8, true, "kit101", "feat-3")
        {
            Body = "feat-3",
            Labels = ["question"],
            Assignees = ["kit101"],
            HeadSha = "51b2dd1",
            Commits = [new FakeCommit("51b2dd1", "kit101", "kit101@example.org", "kit101")],
        });
        forge.State.AddIssue(Forge.Gitee, "kit101/drone-yml-test", new FakeIssue(IssueNumbering.FromGiteeIssue(IssueNumber), false, "kit101", "test issue hook")
        {
            Body = "test issue hook",
            Labels = ["duplicate"],
            Assignees = ["kit101"],
        });
    }

    public async Task DisposeAsync() => await forge.DisposeAsync();

    [Fact]
    public async Task The_fakes_pull_request_has_the_shape_of_a_real_one() =>
        RecordedPayloads.ShapeMismatches(
            await SendAsync(HttpMethod.Get, "repos/kit101/drone-yml-test/pulls/8"),
            RecordedPayloads.Read(Folder, "pr_labeled.json").GetProperty("pull_request")).ShouldBeEmpty();

    [Fact]
    public async Task The_fakes_issue_has_the_shape_of_a_real_one() =>
        RecordedPayloads.ShapeMismatches(
            await SendAsync(HttpMethod.Get, $"repos/kit101/drone-yml-test/issues/{IssueNumber}"),
            RecordedPayloads.Read(Folder, "issue_hook_assign.json").GetProperty("issue")).ShouldBeEmpty();

    [Fact]
    public async Task The_fakes_comments_have_the_shape_of_real_ones()
    {
        var real = RecordedPayloads.Read(Folder, "note_hook_pr_comment.json").GetProperty("comment");

        RecordedPayloads.ShapeMismatches(await SendAsync(HttpMethod.Post, "repos/kit101/drone-yml-test/pulls/8/comments", """{"body":"from the bot"}"""), real).ShouldBeEmpty();
        RecordedPayloads.ShapeMismatches(await SendAsync(HttpMethod.Post, $"repos/kit101/drone-yml-test/issues/{IssueNumber}/comments", """{"body":"from the bot"}"""), real).ShouldBeEmpty();
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, new Uri(forge.GiteeUrl, $"{path}?access_token={forge.State.Token}"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
