using Forgeline.Testing;
using Forgeline.Bot.Events;
using Forgeline.Bot.Webhooks;

namespace Forgeline.Bot.Tests.Webhooks;

/// <summary>Every recorded payload of GitHub, Gitee and GitLab parses, and only the events the bot has no use for are ignored.</summary>
public sealed class AllFixturesTests
{
    /// <summary>Fixtures of events or actions the bot ignores; every other fixture must become an event.</summary>
    private static readonly HashSet<string> Ignored =
    [
        "github-webhooks/check_run/requested_action.payload.json",
        "github-webhooks/check_run/rerequested.payload.json",
        "github-webhooks/check_run/rerequested.with-organization.payload.json",
        "github-webhooks/check_suite/completed.1.payload.json",
        "github-webhooks/check_suite/completed.payload.json",
        "github-webhooks/check_suite/completed.with-organization.payload.json",
        "github-webhooks/check_suite/requested.payload.json",
        "github-webhooks/check_suite/requested.payload.with-email-with-special-characters.json",
        "github-webhooks/check_suite/requested.with-organization.payload.json",
        "github-webhooks/check_suite/rerequested.payload.json",
        "github-webhooks/check_suite/rerequested.with-organization.payload.json",
        "github-webhooks/ping/with-organization.payload.json",
    ];

    private static readonly string[] Files = [.. WebhookFixtures.All("github-webhooks"), .. WebhookFixtures.All("gitee-webhooks"), .. WebhookFixtures.All("gitlab-webhooks")];

    public static TheoryData<string> All => [.. Files];

    [Fact]
    public void The_fixtures_are_all_there()
    {
        // Guards the theory below against an empty or moved fixtures folder passing vacuously.
        WebhookFixtures.All("github-webhooks").Count().ShouldBe(99);
        WebhookFixtures.All("gitee-webhooks").Count().ShouldBe(17);
        WebhookFixtures.All("gitlab-webhooks").Count().ShouldBe(26);
        Ignored.ShouldBeSubsetOf(Files);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Every_fixture_parses(string fixture)
    {
        var (forge, eventName) = Deliveries.EventOf(fixture);
        var parsed = ForgeWebhooks.For(forge).Parse(eventName, "delivery-1", WebhookFixtures.Read(fixture));

        if (Ignored.Contains(fixture))
        {
            parsed.ShouldBeNull();
            return;
        }

        parsed.ShouldNotBeNull();
        parsed.DeliveryId.ShouldBe("delivery-1");
        parsed.Forge.ShouldBe(forge);
        parsed.Repo.Owner.ShouldNotBeNullOrWhiteSpace();
        parsed.Repo.Name.ShouldNotBeNullOrWhiteSpace();
        parsed.Repo.Name.ShouldNotContain("/");
        parsed.Sender.ShouldNotBeNullOrWhiteSpace();
        parsed.Action.ShouldNotBeNullOrWhiteSpace();
        parsed.Action.ShouldBe(parsed.Action.ToLowerInvariant());
        switch (parsed.Kind)
        {
            case BotEventKind.Comment:
                parsed.Comment.ShouldNotBeNull();
                break;
            case BotEventKind.PullRequest:
                parsed.IsPullRequest.ShouldBeTrue();
                parsed.Number.ShouldNotBeNull();
                parsed.HeadSha.ShouldNotBeNullOrWhiteSpace();
                break;
            case BotEventKind.Push:
                parsed.Ref.ShouldNotBeNull().ShouldStartWith("refs/");
                break;
            case BotEventKind.Status:
                parsed.State.ShouldNotBeNull();
                parsed.Subject.ShouldNotBeNullOrWhiteSpace();
                parsed.HeadSha.ShouldNotBeNullOrWhiteSpace();
                break;
        }
    }
}
