using Forgeline.Bot.Forges;
using Forgeline.Testing;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>The Gitee client against the fake Gitee: contents, pull request files and commits, check runs, merges.</summary>
public sealed partial class GiteeClientTests
{
    [Fact]
    public async Task Reads_a_file_at_a_ref_and_a_missing_file_or_a_directory_is_null()
    {
        State.SetFile(Forge.Gitee, Repo.FullName, "openEuler-24.03", "sig/kernel/OWNERS", "maintainers:\n- 张三\n");

        (await client.GetFileAsync(Repo, "sig/kernel/OWNERS", "openEuler-24.03", CancellationToken.None)).ShouldBe("maintainers:\n- 张三\n");
        (await client.GetFileAsync(Repo, "sig/kernel/MISSING", "openEuler-24.03", CancellationToken.None)).ShouldBeNull();
        (await client.GetFileAsync(Repo, "sig/kernel", "openEuler-24.03", CancellationToken.None)).ShouldBeNull();
        (await client.GetFileAsync(Repo, "sig/kernel/OWNERS", "master", CancellationToken.None)).ShouldBeNull();
        forge.Calls[0].PathAndQuery.ShouldStartWith($"{RepoPath}/contents/sig/kernel/OWNERS?ref=openEuler-24.03&access_token=");
        forge.Calls.Select(c => c.StatusCode).ShouldBe([200, 404, 200, 404]);
    }

    [Fact]
    public async Task Lists_changed_paths_with_both_sides_of_a_rename_in_one_request()
    {
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(20, true, "kit101", "t")
        {
            ChangedFiles = [new FakeChangedFile("README.md"), new FakeChangedFile("docs/new.md", "renamed", "docs/old.md"), new FakeChangedFile("gone.c", "removed")],
        });

        var paths = await client.GetChangedFilesAsync(Repo, 20, CancellationToken.None);

        paths.ShouldBe(["README.md", "docs/new.md", "docs/old.md", "gone.c"]);
        forge.Calls.Single().Path.ShouldBe($"{RepoPath}/pulls/20/files");
    }

    [Fact]
    public async Task Lists_commits_with_the_author_login_when_gitee_knows_it()
    {
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(21, true, "kit101", "t")
        {
            Commits = [new FakeCommit("c1", "Kit", "kit@example.org", "kit101"), new FakeCommit("c2", "Anon", "anon@example.org", null)],
        });

        var commits = await client.GetCommitsAsync(Repo, 21, CancellationToken.None);

        commits.ShouldBe([new CommitInfo("c1", "Kit", "kit@example.org", "kit101"), new CommitInfo("c2", "Anon", "anon@example.org", null)]);
    }

    [Fact]
    public async Task Statuses_are_check_runs_and_the_latest_of_each_name_is_read_back()
    {
        await client.SetStatusAsync(Repo, "abc", new CommitStatus("forgeline/build", CommitState.Pending, "Building", "https://ci.example/1"), CancellationToken.None);
        await client.SetStatusAsync(Repo, "abc", new CommitStatus("forgeline/build", CommitState.Success, "Built", "https://ci.example/1"), CancellationToken.None);
        await client.SetStatusAsync(Repo, "abc", new CommitStatus("forgeline/test", CommitState.Failure, "2 tests failed"), CancellationToken.None);
        await client.SetStatusAsync(Repo, "abc", new CommitStatus("forgeline/sign", CommitState.Error, ""), CancellationToken.None);

        var first = Json(forge.Calls[0]);
        first.GetProperty("status").GetString().ShouldBe("in_progress");
        first.TryGetProperty("conclusion", out _).ShouldBeFalse();
        first.GetProperty("head_sha").GetString().ShouldBe("abc");
        Json(forge.Calls[1]).GetProperty("conclusion").GetString().ShouldBe("success");
        Json(forge.Calls[1]).GetProperty("completed_at").GetString().ShouldBe("2026-01-01T00:00:00Z");
        State.Statuses(Forge.Gitee, Repo.FullName, "abc").Select(s => s.State).ShouldBe(["in_progress", "success", "failure", "cancelled"]);

        var statuses = await client.GetStatusesAsync(Repo, "abc", CancellationToken.None);

        statuses.OrderBy(s => s.Context, StringComparer.Ordinal).ShouldBe([
            new CommitStatus("forgeline/build", CommitState.Success, "Built", "https://ci.example/1"),
            new CommitStatus("forgeline/sign", CommitState.Error, "forgeline/sign"),
            new CommitStatus("forgeline/test", CommitState.Failure, "2 tests failed"),
        ]);
        forge.Calls[^1].PathAndQuery.ShouldStartWith($"{RepoPath}/commits/abc/check-runs?filter=latest&per_page=100&page=1&access_token=");
    }

    [Fact]
    public async Task Reads_check_runs_across_pages()
    {
        for (var i = 0; i < 120; i++)
        {
            State.AddStatus(Forge.Gitee, Repo.FullName, "def", $"check-{i:000}", "success", "ok", null);
        }

        var statuses = await client.GetStatusesAsync(Repo, "def", CancellationToken.None);

        statuses.Count.ShouldBe(120);
        statuses.ShouldAllBe(s => s.State == CommitState.Success);
        forge.Calls.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(MergeMethod.Merge, "merge")]
    [InlineData(MergeMethod.Squash, "squash")]
    [InlineData(MergeMethod.Rebase, "rebase")]
    public async Task Merges_after_checking_the_head(MergeMethod method, string word)
    {
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(30, true, "kit101", "t") { HeadSha = "head30" });

        await client.MergeAsync(Repo, 30, "head30", method, CancellationToken.None);

        State.Merges.Single().ShouldBe(new FakeMerge(Forge.Gitee, Repo.FullName, 30, "head30", word));
        State.Issue(Forge.Gitee, Repo.FullName, 30)!.State.ShouldBe("merged");
        Json(forge.Calls[^1]).GetProperty("merge_method").GetString().ShouldBe(word);
    }

    [Fact]
    public async Task A_moved_head_is_refused_with_409_before_asking_gitee_to_merge()
    {
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(31, true, "kit101", "t") { HeadSha = "pushed-since" });

        var error = await Should.ThrowAsync<ForgeApiException>(() => client.MergeAsync(Repo, 31, "tested", MergeMethod.Merge, CancellationToken.None));

        error.StatusCode.ShouldBe(409);
        error.Message.ShouldContain("pushed-since");
        forge.Calls.ShouldNotContain(c => c.Method == "PUT");
        State.Merges.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_conflicting_pull_request_is_refused_by_gitee_with_its_message()
    {
        State.AddIssue(Forge.Gitee, Repo.FullName, new FakeIssue(32, true, "kit101", "t") { HeadSha = "h", Mergeable = false });

        var error = await Should.ThrowAsync<ForgeApiException>(() => client.MergeAsync(Repo, 32, "h", MergeMethod.Squash, CancellationToken.None));

        error.StatusCode.ShouldBe(400);
        error.Message.ShouldContain("conflicts with its base branch");
        State.Merges.ShouldBeEmpty();
    }
}
