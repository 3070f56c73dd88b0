using Forgeline.Testing;
using System.Security.Cryptography;
using System.Text;
using Forgeline.Bot.Forges;
using Forgeline.Bot.Webhooks;
using static Forgeline.Bot.Tests.Webhooks.Deliveries;

namespace Forgeline.Bot.Tests.Webhooks;

/// <summary>Event names, delivery ids and authenticity, per forge: each endpoint trusts only its own forge's proof.</summary>
public sealed class WebhookHeadersTests
{
    private const string Secret = "3f6e0c2b9a";
    private static readonly byte[] Body = WebhookFixtures.Read("github-webhooks/issue_comment/created.payload.json");
    private static readonly string BodyDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Body));

    [Fact]
    public void For_gives_each_forge_its_format()
    {
        ForgeWebhooks.For(Forge.GitHub).ShouldBeOfType<GitHubWebhook>().Forge.ShouldBe(Forge.GitHub);
        ForgeWebhooks.For(Forge.Gitee).ShouldBeOfType<GiteeWebhook>().Forge.ShouldBe(Forge.Gitee);
        ForgeWebhooks.For(Forge.GitLab).ShouldBeOfType<GitLabWebhook>().Forge.ShouldBe(Forge.GitLab);
    }

    [Theory]
    [InlineData(Forge.GitHub, "X-GitHub-Event", "issue_comment")]
    [InlineData(Forge.Gitee, "X-Gitee-Event", "Note Hook")]
    [InlineData(Forge.GitLab, "X-Gitlab-Event", "Merge Request Hook")]
    public void Event_names_come_from_the_forges_header(Forge forge, string header, string name)
    {
        var webhook = ForgeWebhooks.For(forge);
        webhook.EventName(Headers((header.ToLowerInvariant(), " " + name + " "))).ShouldBe(name);
        webhook.EventName(Headers((header, "  "))).ShouldBeNull();
        webhook.EventName(Headers()).ShouldBeNull();
        webhook.EventName(Headers(("X-Other-Event", name))).ShouldBeNull();
    }

    [Fact]
    public void GitHub_uses_its_delivery_guid()
    {
        var webhook = ForgeWebhooks.For(Forge.GitHub);
        webhook.DeliveryId(Headers(("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")), Body).ShouldBe("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        webhook.DeliveryId(Headers(), Body).ShouldBe(BodyDigest);
    }

    [Fact]
    public void GitLab_uses_the_idempotency_key_which_survives_retries()
    {
        var webhook = ForgeWebhooks.For(Forge.GitLab);
        var headers = Headers(
            ("Idempotency-Key", "a5461c4d-9c7f-4af9-add6-cddebe3c426f"),
            ("X-Gitlab-Webhook-UUID", "3c5c0404-c866-44bc-a5f6-452bb1bfc76e"),
            ("X-Gitlab-Event-UUID", "9cebe914-4827-408f-b014-cfa23a47a35f"));
        webhook.DeliveryId(headers, Body).ShouldBe("a5461c4d-9c7f-4af9-add6-cddebe3c426f");

        // Older GitLab: the per-attempt and per-request UUIDs would not identify a retry, so the body does.
        webhook.DeliveryId(Headers(("X-Gitlab-Webhook-UUID", "3c5c0404-c866-44bc-a5f6-452bb1bfc76e"), ("X-Gitlab-Event-UUID", "9cebe914-4827-408f-b014-cfa23a47a35f")), Body)
            .ShouldBe(BodyDigest);
    }

    [Fact]
    public void Gitee_sends_no_delivery_id_so_the_body_is_one()
    {
        var webhook = ForgeWebhooks.For(Forge.Gitee);
        var body = WebhookFixtures.Read("gitee-webhooks/note_hook_pr_comment.json");
        var first = webhook.DeliveryId(Headers(("X-Gitee-Timestamp", "1633691608022")), body);

        first.ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)));
        webhook.DeliveryId(Headers(("X-Gitee-Timestamp", "1633691609999")), body).ShouldBe(first); // a replay with a new timestamp
        webhook.DeliveryId(Headers(), WebhookFixtures.Read("gitee-webhooks/note_hook_issue_comment.json")).ShouldNotBe(first);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("id with spaces")]
    [InlineData("tab\tinside")]
    [InlineData("ünïcode")]
    public void An_unusable_delivery_header_falls_back_to_the_body(string header) =>
        ForgeWebhooks.For(Forge.GitHub).DeliveryId(Headers(("X-GitHub-Delivery", header)), Body).ShouldBe(BodyDigest);

    [Fact]
    public void Delivery_ids_are_at_most_128_characters()
    {
        var webhook = ForgeWebhooks.For(Forge.GitHub);
        var longest = new string('a', 128);
        webhook.DeliveryId(Headers(("X-GitHub-Delivery", longest)), Body).ShouldBe(longest);
        webhook.DeliveryId(Headers(("X-GitHub-Delivery", longest + "b")), Body).ShouldBe(BodyDigest);
        BodyDigest.Length.ShouldBeLessThanOrEqualTo(128);
    }

    [Fact]
    public void Each_forge_trusts_only_its_own_proof()
    {
        var github = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Body));
        var gitHubProof = Headers(("X-Hub-Signature-256", github));
        var giteeProof = Headers(("X-Gitee-Token", Secret));
        var gitLabProof = Headers(("X-Gitlab-Token", Secret));

        ForgeWebhooks.For(Forge.GitHub).IsAuthentic(Secret, gitHubProof, Body).ShouldBeTrue();
        ForgeWebhooks.For(Forge.GitHub).IsAuthentic(Secret, gitLabProof, Body).ShouldBeFalse();
        ForgeWebhooks.For(Forge.GitHub).IsAuthentic(Secret, giteeProof, Body).ShouldBeFalse();
        ForgeWebhooks.For(Forge.GitHub).IsAuthentic(Secret, gitHubProof, [.. Body, (byte)' ']).ShouldBeFalse();

        ForgeWebhooks.For(Forge.Gitee).IsAuthentic(Secret, giteeProof, Body).ShouldBeTrue();
        ForgeWebhooks.For(Forge.Gitee).IsAuthentic(Secret, gitLabProof, Body).ShouldBeFalse();
        ForgeWebhooks.For(Forge.Gitee).IsAuthentic(Secret, gitHubProof, Body).ShouldBeFalse();

        ForgeWebhooks.For(Forge.GitLab).IsAuthentic(Secret, gitLabProof, Body).ShouldBeTrue();
        ForgeWebhooks.For(Forge.GitLab).IsAuthentic(Secret, giteeProof, Body).ShouldBeFalse();
        ForgeWebhooks.For(Forge.GitLab).IsAuthentic(Secret, gitHubProof, Body).ShouldBeFalse();
        ForgeWebhooks.For(Forge.GitLab).IsAuthentic("another", gitLabProof, Body).ShouldBeFalse();
    }

    [Fact]
    public void Gitee_accepts_a_signed_timestamp()
    {
        const string Timestamp = "1633691608022";
        var sign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{Timestamp}\n{Secret}")));
        var webhook = ForgeWebhooks.For(Forge.Gitee);

        webhook.IsAuthentic(Secret, Headers(("X-Gitee-Token", sign), ("X-Gitee-Timestamp", Timestamp)), Body).ShouldBeTrue();
        webhook.IsAuthentic(Secret, Headers(("X-Gitee-Token", Uri.EscapeDataString(sign)), ("X-Gitee-Timestamp", Timestamp)), Body).ShouldBeTrue();
        webhook.IsAuthentic(Secret, Headers(("X-Gitee-Token", sign), ("X-Gitee-Timestamp", "1633691608023")), Body).ShouldBeFalse();
    }

    [Theory]
    [InlineData(Forge.GitHub, "check_suite")]
    [InlineData(Forge.GitHub, "deployment")]
    [InlineData(Forge.Gitee, "Wiki Hook")]
    [InlineData(Forge.GitLab, "Job Hook")]
    [InlineData(Forge.GitLab, "System Hook")]
    public void Events_the_bot_has_no_use_for_are_ignored_without_reading_the_body(Forge forge, string eventName) =>
        ForgeWebhooks.For(forge).Parse(eventName, "d", Encoding.UTF8.GetBytes("not even json")).ShouldBeNull();
}
