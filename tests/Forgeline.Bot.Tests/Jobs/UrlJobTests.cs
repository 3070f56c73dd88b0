using System.Text.Json;
using Forgeline.Bot.Config;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Jobs;
using Forgeline.Bot.Plugins.Ci;
using Forgeline.Bot.Tests.Plugins;
using Forgeline.Core;

namespace Forgeline.Bot.Tests.Jobs;

/// <summary>URL-triggered jobs end to end: the bot POSTs to a real loopback server, the job reports back through <see cref="JobReports"/>.</summary>
public sealed class UrlJobTests : IAsyncLifetime
{
    private const string Head = "abc123";
    private readonly LoopbackHttpServer ci = new(_ => (201, """{"queued": true}"""));
    private JobsHost host = null!;

    private MemoryForge Forge => host.Harness.Forge;

    public async Task InitializeAsync()
    {
        host = await JobsHost.CreateAsync([TestPlugins.Create<CiPlugin>()]);
        host.Harness.RepoConfig.Jobs = [new JobConfig { Name = "smoke", Url = ci.BaseUrl + "job/smoke/buildWithParameters" }];
        Forge.Collaborators.Add("maintainer");
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await ci.DisposeAsync();
    }

    [Fact]
    public async Task The_job_gets_what_it_needs_and_its_reports_set_the_status_and_comment_once_it_ends()
    {
        var (runId, token) = await StartAsync();

        var request = ci.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.PathAndQuery.ShouldBe("/job/smoke/buildWithParameters");
        request.ContentType.ShouldNotBeNull().ShouldStartWith("application/json");
        var body = JsonDocument.Parse(request.Body).RootElement;
        body.GetProperty("job").GetString().ShouldBe("smoke");
        body.GetProperty("forge").GetString().ShouldBe("github");
        body.GetProperty("repository").GetString().ShouldBe("openeuler/hello");
        body.GetProperty("number").GetInt32().ShouldBe(1);
        body.GetProperty("sha").GetString().ShouldBe(Head);
        body.GetProperty("clone_url").GetString().ShouldBe("https://github.com/openeuler/hello.git");
        body.GetProperty("report_url").GetString().ShouldBe($"{JobsHost.PublicUrl}/api/v1/bot/jobs/{runId}/status");
        token.Length.ShouldBe(64);
        token.ShouldAllBe(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));

        var run = (await host.RunsAsync()).ShouldHaveSingleItem();
        (run.Kind, run.State, run.Job, run.HeadSha, run.Number).ShouldBe(("url", "pending", "smoke", Head, 1));
        run.ReportTokenHash.ShouldBe(JobReports.HashOf(token));
        run.ReportTokenHash.ShouldNotBe(token);
        Forge.Statuses[Head]["forgeline/smoke"].State.ShouldBe(CommitState.Pending);

        (await host.ReportAsync(runId, token, "pending", "running on agent-3", "https://ci.example/smoke/7")).IsSuccess.ShouldBeTrue();
        Forge.Statuses[Head]["forgeline/smoke"].ShouldBe(new CommitStatus("forgeline/smoke", CommitState.Pending, "running on agent-3", "https://ci.example/smoke/7"));
        Forge.CommentsOn(1).ShouldBeEmpty();

        var ended = await host.ReportAsync(runId, token, "failure", "2 of 40 tests failed");
        ended.Value.ShouldBe(new JobRunView(runId, "smoke", "openeuler/hello", 1, Head, "failure", "https://ci.example/smoke/7"));
        Forge.Statuses[Head]["forgeline/smoke"].State.ShouldBe(CommitState.Failure);
        var comment = Forge.CommentsOn(1).ShouldHaveSingleItem();
        comment.ShouldStartWith("Job `smoke` **failed** on abc123: 2 of 40 tests failed");
        comment.ShouldContain("/retest");
        (await host.RunsAsync()).Single().FinishedAt.ShouldBe(host.Harness.Time.GetUtcNow().UtcDateTime);
    }

    [Fact]
    public async Task A_report_for_an_unknown_run_is_not_found()
    {
        var (runId, token) = await StartAsync();

        (await host.ReportAsync(runId + 1000, token, "success")).Error.ShouldBe(ServiceError.NotFound);
    }

    private static string?[] WrongTokens(string token) =>
    [
        null,
        "",
        token[..^1],
        token + "0",
        token[..^1] + (token[^1] == '0' ? '1' : '0'),
        token.ToUpperInvariant(),
        JobReports.HashOf(token),
    ];

    [Fact]
    public async Task A_wrong_token_is_refused_before_anything_changes()
    {
        var (runId, token) = await StartAsync();

        foreach (var wrong in WrongTokens(token))
        {
            var result = await host.ReportAsync(runId, wrong, "success");
            result.Error.ShouldBe(ServiceError.Unauthorized, $"token '{wrong}'");
            result.Message.ShouldNotBeNull().ShouldContain("report_token");
        }

        // Even a bad state from someone without the token learns nothing but "wrong token".
        (await host.ReportAsync(runId, "guess", "bogus")).Error.ShouldBe(ServiceError.Unauthorized);
        Forge.Statuses[Head]["forgeline/smoke"].State.ShouldBe(CommitState.Pending);
        (await host.RunsAsync()).Single().State.ShouldBe("pending");
    }

    [Theory]
    [InlineData("passed")]
    [InlineData("SUCCESS")]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_bad_state_is_refused(string? state)
    {
        var (runId, token) = await StartAsync();

        var result = await host.ReportAsync(runId, token, state);

        result.Error.ShouldBe(ServiceError.Invalid);
        result.Message.ShouldNotBeNull().ShouldContain("pending, success, failure, error");
        (await host.RunsAsync()).Single().State.ShouldBe("pending");
    }

    [Theory]
    [InlineData("ftp://ci.example/log")]
    [InlineData("log/7")]
    [InlineData("javascript:alert(1)")]
    public async Task A_details_url_that_is_not_http_is_refused(string url)
    {
        var (runId, token) = await StartAsync();

        (await host.ReportAsync(runId, token, "success", url: url)).Error.ShouldBe(ServiceError.Invalid);
    }

    [Fact]
    public async Task A_repeated_final_report_is_answered_the_same_and_a_changed_one_is_a_conflict()
    {
        var (runId, token) = await StartAsync();
        (await host.ReportAsync(runId, token, "success")).IsSuccess.ShouldBeTrue();

        (await host.ReportAsync(runId, token, "success")).IsSuccess.ShouldBeTrue();
        var changed = await host.ReportAsync(runId, token, "failure");

        changed.Error.ShouldBe(ServiceError.Conflict);
        changed.Message.ShouldNotBeNull().ShouldContain("/test smoke");
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldStartWith("Job `smoke` passed on abc123: passed");
        Forge.Statuses[Head]["forgeline/smoke"].State.ShouldBe(CommitState.Success);
    }

    [Fact]
    public async Task A_long_description_is_cut_to_one_line_of_140_characters()
    {
        var (runId, token) = await StartAsync();

        await host.ReportAsync(runId, token, "error", "runner lost\n" + new string('x', 300));

        var description = Forge.Statuses[Head]["forgeline/smoke"].Description;
        description.Length.ShouldBe(140);
        description.ShouldStartWith("runner lost xxx");
    }

    [Fact]
    public async Task When_the_forge_fails_the_report_fails_and_the_job_may_report_again()
    {
        var (runId, token) = await StartAsync();
        Forge.StatusFailure = new ForgeApiException("GitHub is down", 502);

        await Should.ThrowAsync<ForgeApiException>(() => host.ReportAsync(runId, token, "success"));
        (await host.RunsAsync()).Single().State.ShouldBe("pending");

        Forge.StatusFailure = null;
        (await host.ReportAsync(runId, token, "success")).IsSuccess.ShouldBeTrue();
        Forge.Statuses[Head]["forgeline/smoke"].State.ShouldBe(CommitState.Success);
    }

    [Fact]
    public async Task A_forge_that_fails_the_pending_status_does_not_stop_the_job()
    {
        Forge.StatusFailure = new ForgeApiException("bad gateway", 502);
        var (runId, token) = await StartAsync();
        Forge.StatusFailure = null;

        (await host.ReportAsync(runId, token, "success")).IsSuccess.ShouldBeTrue();
        Forge.Statuses[Head]["forgeline/smoke"].State.ShouldBe(CommitState.Success);
    }

    [Fact]
    public async Task Without_a_public_url_a_url_job_cannot_start_and_says_why()
    {
        host.Harness.Config.PublicUrl = null;
        Forge.AddPull(1, "maintainer");

        await host.Harness.CommentAsync(1, "maintainer", "/test smoke");

        ci.Requests.ShouldBeEmpty();
        Forge.Statuses[Head]["forgeline/smoke"].ShouldBe(new CommitStatus("forgeline/smoke", CommitState.Error, "could not start: the bot's public_url is not set, so the job could not report back"));
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain("public_url");
    }

    [Fact]
    public void Tokens_match_only_exactly()
    {
        const string Token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var stored = JobReports.HashOf(Token);

        JobReports.TokenMatches(Token, stored).ShouldBeTrue();
        JobReports.TokenMatches(Token, null).ShouldBeFalse();
        foreach (var wrong in WrongTokens(Token))
        {
            JobReports.TokenMatches(wrong, stored).ShouldBeFalse($"token '{wrong}'");
        }
    }

    /// <summary>Opens pull request 1 by a member: its always_run job starts; returns the run and the token the job was given.</summary>
    private async Task<(long RunId, string Token)> StartAsync()
    {
        Forge.AddPull(1, "maintainer");
        await host.Harness.SendAsync(host.Harness.EventFor(1, BotEventKind.PullRequest, "opened", "maintainer"));
        var body = JsonDocument.Parse(ci.Requests.Last().Body).RootElement;
        var reportUrl = body.GetProperty("report_url").GetString()!;
        var runId = long.Parse(reportUrl.Split('/')[^2], System.Globalization.CultureInfo.InvariantCulture);
        return (runId, body.GetProperty("report_token").GetString()!);
    }
}
