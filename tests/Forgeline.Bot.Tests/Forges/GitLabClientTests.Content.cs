using Forgeline.Bot.Forges;
using Forgeline.Testing;

namespace Forgeline.Bot.Tests.Forges;

/// <summary>The GitLab client against the fake GitLab: files, diffs, commits, statuses, merges, rate limits.</summary>
public sealed partial class GitLabClientTests
{
    [Fact]
    public async Task Reads_a_file_at_a_ref_with_its_path_encoded_and_a_missing_one_is_null()
    {
        State.SetFile(Forge.GitLab, Repo.FullName, "release-1", "docs/OWNERS", "approvers:\n- zoë\n");

        (await client.GetFileAsync(Repo, "docs/OWNERS", "release-1", CancellationToken.None)).ShouldBe("approvers:\n- zoë\n");
        (await client.GetFileAsync(Repo, "docs/OWNERS", "main", CancellationToken.None)).ShouldBeNull();
        (await client.GetFileAsync(Repo, "docs/MISSING", "release-1", CancellationToken.None)).ShouldBeNull();
        forge.Calls[0].PathAndQuery.ShouldBe($"/gitlab/api/v4/{EncodedProject}/repository/files/docs%2FOWNERS?ref=release-1");
    }

    [Fact]
    public async Task Lists_every_changed_path_across_pages_with_both_sides_of_a_rename()
    {
        var files = Enumerable.Range(0, 230).Select(i => new FakeChangedFile($"src/file{i:000}.c")).ToList();
        files[5] = new FakeChangedFile("src/new-name.c", "renamed", "src/old-name.c");
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(20, true, "alice", "big") { ChangedFiles = [.. files] });

        var paths = await client.GetChangedFilesAsync(Repo, 20, CancellationToken.None);

        paths.Count.ShouldBe(231);
        paths.ShouldContain("src/old-name.c");
        paths.ShouldContain("src/new-name.c");
        paths.ShouldContain("src/file229.c");
        forge.Calls.Count(c => c.Path.EndsWith("/merge_requests/20/diffs", StringComparison.Ordinal)).ShouldBe(3);
    }

    [Fact]
    public async Task Lists_every_commit_across_pages_with_name_and_email_but_no_login()
    {
        var commits = Enumerable.Range(0, 120).Select(i => new FakeCommit($"sha{i:000}", $"Dev {i}", $"dev{i}@example.org", $"dev{i}")).ToList();
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(21, true, "alice", "many") { Commits = [.. commits] });

        var read = await client.GetCommitsAsync(Repo, 21, CancellationToken.None);

        read.Count.ShouldBe(120);
        read[119].ShouldBe(new CommitInfo("sha119", "Dev 119", "dev119@example.org", null));
        forge.Calls.Count.ShouldBe(2);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => client.GetCommitsAsync(Repo, -21, CancellationToken.None));
    }

    [Fact]
    public async Task Sets_statuses_in_gitlabs_words_and_reads_the_latest_of_each_name()
    {
        await client.SetStatusAsync(Repo, "c0ffee", new CommitStatus("forgeline/build", CommitState.Pending, "Building", "https://ci.example/1"), CancellationToken.None);
        await client.SetStatusAsync(Repo, "c0ffee", new CommitStatus("forgeline/build", CommitState.Failure, "Build failed", "https://ci.example/1"), CancellationToken.None);
        await client.SetStatusAsync(Repo, "c0ffee", new CommitStatus("forgeline/sign", CommitState.Error, "No key"), CancellationToken.None);
        await client.SetStatusAsync(Repo, "c0ffee", new CommitStatus("cla", CommitState.Success, new string('x', 300)), CancellationToken.None);

        State.Statuses(Forge.GitLab, Repo.FullName, "c0ffee").Select(s => s.State).ShouldBe(["running", "failed", "canceled", "success"]);
        State.Statuses(Forge.GitLab, Repo.FullName, "c0ffee")[3].Description.Length.ShouldBe(255);
        var statuses = await client.GetStatusesAsync(Repo, "c0ffee", CancellationToken.None);
        statuses.OrderBy(s => s.Context, StringComparer.Ordinal).ShouldBe([
            new CommitStatus("cla", CommitState.Success, new string('x', 254) + "…"),
            new CommitStatus("forgeline/build", CommitState.Failure, "Build failed", "https://ci.example/1"),
            new CommitStatus("forgeline/sign", CommitState.Error, "No key"),
        ]);
    }

    [Fact]
    public async Task Setting_a_status_to_the_state_it_is_in_is_taken_as_done()
    {
        var running = new CommitStatus("forgeline/build", CommitState.Pending, "Building");

        await client.SetStatusAsync(Repo, "beef", running, CancellationToken.None);
        await client.SetStatusAsync(Repo, "beef", running with { Description = "Still building" }, CancellationToken.None);

        forge.Calls.Select(c => c.StatusCode).ShouldBe([201, 400]);
        State.Statuses(Forge.GitLab, Repo.FullName, "beef").Single().Description.ShouldBe("Building");
    }

    [Theory]
    [InlineData(MergeMethod.Merge, "merge", false)]
    [InlineData(MergeMethod.Squash, "squash", true)]
    public async Task Merges_with_the_head_pinned(MergeMethod method, string recorded, bool squash)
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(30, true, "alice", "ready") { HeadSha = "head30" });

        await client.MergeAsync(Repo, 30, "head30", method, CancellationToken.None);

        State.Merges.Single().ShouldBe(new FakeMerge(Forge.GitLab, Repo.FullName, 30, "head30", recorded));
        State.Issue(Forge.GitLab, Repo.FullName, 30)!.State.ShouldBe("merged");
        var body = Json(forge.Calls.Single());
        body["sha"].GetString().ShouldBe("head30");
        body["squash"].GetBoolean().ShouldBe(squash);
    }

    [Theory]
    [InlineData("Ready", "new-head", true, 409, "SHA does not match HEAD")]
    [InlineData("Ready", "head31", false, 406, "Branch cannot be merged")]
    [InlineData("Draft: not yet", "head31", true, 405, "Method Not Allowed")]
    public async Task A_refused_merge_carries_gitlabs_status_and_message_and_merges_nothing(string title, string sha, bool mergeable, int status, string message)
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(31, true, "alice", title) { HeadSha = "head31", Mergeable = mergeable });

        var error = await Should.ThrowAsync<ForgeApiException>(() => client.MergeAsync(Repo, 31, sha, MergeMethod.Merge, CancellationToken.None));

        error.StatusCode.ShouldBe(status);
        error.Message.ShouldContain(message);
        State.Merges.ShouldBeEmpty();
        State.Issue(Forge.GitLab, Repo.FullName, 31)!.State.ShouldBe("open");
    }

    [Fact]
    public async Task Rebase_merges_are_refused_without_asking_gitlab()
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(32, true, "alice", "t") { HeadSha = "h" });

        var error = await Should.ThrowAsync<ForgeApiException>(() => client.MergeAsync(Repo, 32, "h", MergeMethod.Rebase, CancellationToken.None));

        error.Message.ShouldContain("does not rebase");
        forge.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_429_waits_out_retry_after_on_the_clock_then_succeeds()
    {
        State.AddIssue(Forge.GitLab, Repo.FullName, new FakeIssue(40, true, "alice", "limited"));
        forge.FailNext(1, 429, new Dictionary<string, string> { ["Retry-After"] = "30" }, "Retry later");

        var reading = client.GetIssueAsync(Repo, 40, CancellationToken.None);
        await clock.WaitForTimerAsync(remaining => remaining == TimeSpan.FromSeconds(30), Patience);
        reading.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(30));
        var mr = await reading.WaitAsync(Patience);

        mr.Title.ShouldBe("limited");
        forge.Calls.Select(c => c.StatusCode).ShouldBe([429, 200]);
        (forge.Calls[1].ReceivedAt - forge.Calls[0].ReceivedAt).ShouldBe(TimeSpan.FromSeconds(30));
    }
}
