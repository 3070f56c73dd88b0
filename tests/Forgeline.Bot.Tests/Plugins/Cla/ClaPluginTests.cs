using Forgeline.Bot.Config;
using Forgeline.Bot.Events;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Plugins.Cla;

namespace Forgeline.Bot.Tests.Plugins.Cla;

/// <summary>The cla plugin against a real HTTP CLA service on loopback (the contract of docs/bot-jobs.md).</summary>
public sealed class ClaPluginTests : IAsyncLifetime
{
    private const string Yes = "openeuler-cla/yes";
    private const string No = "openeuler-cla/no";
    private const string SignUrl = "https://cla.openeuler.example/sign";

    private readonly HashSet<string> signed = new(StringComparer.OrdinalIgnoreCase) { "alice@example.com", "dev+cla@example.com" };
    private readonly LoopbackHttpServer service;
    private PluginHarness harness = null!;

    public ClaPluginTests()
    {
        service = new LoopbackHttpServer(request =>
        {
            var email = Uri.UnescapeDataString(request.PathAndQuery.Split("email=")[1]);
            return (200, $$"""{"signed": {{(signed.Contains(email) ? "true" : "false")}}}""");
        });
    }

    private MemoryForge Forge => harness.Forge;

    public async Task InitializeAsync()
    {
        harness = await PluginHarness.CreateAsync([TestPlugins.Create<ClaPlugin>()]);
        harness.Config.Cla = new ClaConfig { CheckUrl = service.BaseUrl + "check?email={email}", SignUrl = SignUrl };
        Forge.Collaborators.Add("maintainer");
    }

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        await service.DisposeAsync();
    }

    [Fact]
    public async Task All_authors_signed_labels_yes_removes_no_and_asks_once_per_address()
    {
        Forge.AddPull(1, "alice", labels: [No]);
        Forge.Commits[1] = [Commit("c1", "alice@example.com", "alice"), Commit("c2", "Alice@Example.com", "alice"), Commit("c3", "dev+cla@example.com", null)];

        await harness.SendAsync(harness.EventFor(1, BotEventKind.PullRequest, "opened", "alice"));

        Forge.LabelsOf(1).ShouldBe([Yes]);
        service.Requests.Count.ShouldBe(2);
        service.Requests.ShouldContain(r => r.PathAndQuery == "/check?email=dev%2Bcla%40example.com");
        Forge.CommentsOn(1).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_author_who_did_not_sign_gets_the_no_label_and_a_comment_naming_them_with_the_link()
    {
        Forge.AddPull(1, "alice", labels: [Yes]);
        Forge.Commits[1] = [Commit("c1", "alice@example.com", "alice"), Commit("c2", "bob@example.com", "bob")];

        await harness.SendAsync(harness.EventFor(1, BotEventKind.PullRequest, "synchronized", "alice"));

        Forge.LabelsOf(1).ShouldBe([No]);
        var comment = Forge.CommentsOn(1).ShouldHaveSingleItem();
        comment.ShouldContain("- bob@example.com (@bob)");
        comment.ShouldNotContain("alice@example.com");
        comment.ShouldContain(SignUrl);
        comment.ShouldContain("/check-cla");
    }

    [Fact]
    public async Task The_no_comment_is_made_once_per_label_and_again_when_asked()
    {
        Forge.AddPull(1, "bob");
        Forge.Commits[1] = [Commit("c1", "bob@example.com", "bob")];

        await harness.SendAsync(harness.EventFor(1, BotEventKind.PullRequest, "opened", "bob"));
        await harness.SendAsync(harness.EventFor(1, BotEventKind.PullRequest, "synchronized", "bob"));
        Forge.CommentsOn(1).Count.ShouldBe(1);

        await harness.CommentAsync(1, "bob", "/check-cla");
        Forge.CommentsOn(1).Count.ShouldBe(2);
        Forge.LabelsOf(1).ShouldBe([No]);
    }

    [Fact]
    public async Task Signing_later_and_asking_again_turns_no_into_yes()
    {
        Forge.AddPull(1, "bob");
        Forge.Commits[1] = [Commit("c1", "bob@example.com", "bob")];
        await harness.SendAsync(harness.EventFor(1, BotEventKind.PullRequest, "opened", "bob"));

        signed.Add("bob@example.com");
        await harness.CommentAsync(1, "bob", "/check-cla");

        Forge.LabelsOf(1).ShouldBe([Yes]);
        Forge.CommentsOn(1)[^1].ShouldContain("every commit author has signed");
    }

    [Fact]
    public async Task A_commit_without_an_author_address_counts_as_not_signed()
    {
        Forge.AddPull(1, "alice");
        Forge.Commits[1] = [Commit("c1", "alice@example.com", "alice"), Commit("0123456789ab", "", null)];

        await harness.SendAsync(harness.EventFor(1, BotEventKind.PullRequest, "opened", "alice"));

        Forge.LabelsOf(1).ShouldBe([No]);
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain("no e-mail address (commit 0123456)");
        service.Requests.Count.ShouldBe(1);
    }

    public static TheoryData<string, int, string> Failures => new()
    {
        { "503", 503, "answered 503" },
        { "not json", 200, "not JSON" },
        { "no boolean", 200, "without a true or false" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task When_the_service_answers_badly_the_labels_stay_and_the_sender_is_told(string body, int status, string expected)
    {
        await using var broken = new LoopbackHttpServer(_ => (status, body == "no boolean" ? """{"signed": "yes"}""" : body == "503" ? "{}" : "<html>"));
        harness.Config.Cla!.CheckUrl = broken.BaseUrl + "check/{email}";
        Forge.AddPull(1, "alice", labels: [Yes]);
        Forge.Commits[1] = [Commit("c1", "alice@example.com", "alice")];

        await harness.CommentAsync(1, "alice", "/check-cla");

        Forge.LabelsOf(1).ShouldBe([Yes]);
        var reply = Forge.CommentsOn(1).ShouldHaveSingleItem();
        reply.ShouldContain(expected);
        reply.ShouldContain("labels are unchanged");
    }

    [Fact]
    public async Task When_the_service_is_down_a_new_pull_request_gets_no_label_and_a_clear_message()
    {
        harness.Config.Cla!.CheckUrl = LoopbackHttpServer.DeadUrl("check/{email}");
        Forge.AddPull(1, "alice");
        Forge.Commits[1] = [Commit("c1", "alice@example.com", "alice")];

        await harness.SendAsync(harness.EventFor(1, BotEventKind.PullRequest, "opened", "alice"));

        Forge.LabelsOf(1).ShouldBeEmpty();
        var reply = Forge.CommentsOn(1).ShouldHaveSingleItem();
        reply.ShouldContain("could not reach the CLA service");
        reply.ShouldContain("comment `/check-cla` to try again");
    }

    [Fact]
    public async Task Without_a_cla_service_check_cla_says_so_and_new_pull_requests_are_left_alone()
    {
        harness.Config.Cla = null;
        Forge.AddPull(1, "alice");
        Forge.Commits[1] = [Commit("c1", "alice@example.com", "alice")];

        await harness.SendAsync(harness.EventFor(1, BotEventKind.PullRequest, "opened", "alice"));
        Forge.CommentsOn(1).ShouldBeEmpty();

        await harness.CommentAsync(1, "alice", "/check-cla");
        Forge.CommentsOn(1).ShouldHaveSingleItem().ShouldContain("no CLA service configured (`cla.check_url`)");
        Forge.LabelsOf(1).ShouldBeEmpty();
        service.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("maintainer")]
    [InlineData("passerby")]
    public async Task Anyone_may_check_the_cla(string sender)
    {
        Forge.AddPull(1, "alice");
        Forge.Commits[1] = [Commit("c1", "alice@example.com", "alice")];

        await harness.CommentAsync(1, sender, "/check-cla");

        Forge.LabelsOf(1).ShouldBe([Yes]);
        Forge.CommentsOn(1).ShouldNotContain(c => c.Contains("you are not one of them", StringComparison.Ordinal));
    }

    private static CommitInfo Commit(string sha, string email, string? login) => new(sha, login ?? "someone", email, login);
}
