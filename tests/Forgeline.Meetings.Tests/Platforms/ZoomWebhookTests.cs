using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Forgeline.Meetings.Platforms.Zoom;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

namespace Forgeline.Meetings.Tests.Platforms;

/// <summary>
/// Zoom's event notifications: a delivery signed as Zoom documents is accepted; a wrong, missing, malformed or stale
/// signature is refused; the URL validation answer is checked against an HMAC computed here independently; and
/// <c>recording.completed</c> is read with its files and download token.
/// </summary>
public sealed class ZoomWebhookTests
{
    private const string Secret = "zoom-webhook-secret-token";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly ZoomWebhook webhook;

    public ZoomWebhookTests() => webhook = new ZoomWebhook(Secret, time);

    [Fact]
    public void A_delivery_signed_with_the_secret_token_is_accepted()
    {
        var delivery = Recording(Now);

        webhook.Verify(delivery.Body, delivery.Timestamp, delivery.Signature, out var problem).ShouldBeTrue();
        problem.ShouldBeNull();
    }

    [Fact]
    public void An_uppercase_hex_signature_is_the_same_signature()
    {
        var delivery = Recording(Now);

        webhook.Verify(delivery.Body, delivery.Timestamp, "v0=" + delivery.Signature[3..].ToUpperInvariant(), out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("other-secret", null, null, "not signed with the webhook secret token")]
    [InlineData(null, "v0=", null, "does not match")]
    [InlineData(null, "", null, "no v0 x-zm-signature")]
    [InlineData(null, "v1=abc", null, "no v0 x-zm-signature")]
    [InlineData(null, null, "", "no valid x-zm-request-timestamp")]
    [InlineData(null, null, "yesterday", "no valid x-zm-request-timestamp")]
    public void A_delivery_with_a_bad_or_missing_signature_is_refused(string? signedWith, string? signature, string? timestamp, string expected)
    {
        var delivery = FakeZoomDelivery.RecordingCompleted(signedWith ?? Secret, Now, 81000000001, "uuid==", "sig-release");

        webhook.Verify(delivery.Body, timestamp ?? delivery.Timestamp, signature ?? delivery.Signature, out var problem).ShouldBeFalse();

        problem.ShouldNotBeNull().ShouldContain(expected);
        problem.ShouldNotContain(Secret);
    }

    [Fact]
    public void A_body_changed_after_signing_is_refused()
    {
        var delivery = Recording(Now);
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(delivery.Body).Replace("sig-release", "sig-evil", StringComparison.Ordinal));

        webhook.Verify(body, delivery.Timestamp, delivery.Signature, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(-301, false)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    [InlineData(301, false)]
    public void A_delivery_more_than_five_minutes_from_now_is_refused(int seconds, bool accepted)
    {
        var delivery = Recording(Now.AddSeconds(seconds));

        webhook.Verify(delivery.Body, delivery.Timestamp, delivery.Signature, out var problem).ShouldBe(accepted);
        if (!accepted)
        {
            problem.ShouldNotBeNull().ShouldContain("a replay or a wrong clock");
        }
    }

    [Fact]
    public void The_url_validation_answer_is_the_hmac_of_the_plain_token()
    {
        var body = """{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}""";
        var delivery = FakeZoomDelivery.Signed(Secret, body, Now);
        webhook.Verify(delivery.Body, delivery.Timestamp, delivery.Signature, out _).ShouldBeTrue();
        var parsed = ZoomWebhook.Parse(delivery.Body).ShouldNotBeNull();

        var answer = webhook.AnswerUrlValidation(ZoomWebhook.PlainToken(parsed).ShouldNotBeNull());

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        var expected = string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes("qgg8vlvZRS6UYooatFL8Aw")).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        answer.PlainToken.ShouldBe("qgg8vlvZRS6UYooatFL8Aw");
        answer.EncryptedToken.ShouldBe(expected);
        JsonSerializer.Serialize(answer).ShouldBe($$"""{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"{{expected}}"}""");
    }

    [Fact]
    public void A_completed_recording_is_read_with_its_files_and_download_token()
    {
        var delivery = Recording(Now, mp4Bytes: 123_456_789);

        var parsed = ZoomWebhook.Parse(delivery.Body).ShouldNotBeNull();
        var recording = ZoomWebhook.Recording(parsed).ShouldNotBeNull();

        parsed.Name.ShouldBe("recording.completed");
        parsed.EventTs.ShouldBe(Now.ToUnixTimeMilliseconds());
        recording.MeetingId.ShouldBe("81000000001");
        recording.MeetingUuid.ShouldBe("4444AAAiAAAAAiAiAiiAii==");
        recording.Topic.ShouldBe("sig-release weekly");
        recording.DownloadToken.ShouldBe("dl-token-abc");
        recording.Files.Select(f => f.FileType).ShouldBe(["MP4", "M4A"]);
        var mp4 = recording.Files[0];
        mp4.Id.ShouldBe("f-mp4-1");
        mp4.FileSize.ShouldBe(123_456_789);
        mp4.DownloadUrl.ShouldBe("https://zoom.us/rec/download/f-mp4-1");
        mp4.RecordingStart.ShouldBe(Now.AddHours(-1));
        mp4.RecordingEnd.ShouldBe(Now.AddMinutes(-2));
    }

    [Fact]
    public void A_retried_delivery_has_the_same_key_and_another_event_another()
    {
        var first = ZoomWebhook.Parse(Recording(Now).Body).ShouldNotBeNull();
        var retry = ZoomWebhook.Parse(Recording(Now).Body).ShouldNotBeNull();
        var other = ZoomWebhook.Parse(Recording(Now.AddSeconds(1)).Body).ShouldNotBeNull();

        retry.DeliveryKey.ShouldBe(first.DeliveryKey);
        other.DeliveryKey.ShouldNotBe(first.DeliveryKey);
        first.DeliveryKey.ShouldBe($"recording.completed:4444AAAiAAAAAiAiAiiAii==:{Now.ToUnixTimeMilliseconds()}");
    }

    [Fact]
    public void Another_event_is_no_recording_and_a_non_event_is_nothing()
    {
        var started = ZoomWebhook.Parse("""{"event":"meeting.started","event_ts":1,"payload":{"object":{"id":1,"uuid":"u"}}}"""u8).ShouldNotBeNull();

        ZoomWebhook.Recording(started).ShouldBeNull();
        ZoomWebhook.PlainToken(started).ShouldBeNull();
        ZoomWebhook.Parse("not json"u8).ShouldBeNull();
        ZoomWebhook.Parse("[1,2]"u8).ShouldBeNull();
        ZoomWebhook.Parse("""{"event_ts":1}"""u8).ShouldBeNull();
        ZoomWebhook.Parse("""{"event":"x"}"""u8).ShouldNotBeNull().DeliveryKey.ShouldStartWith("x:sha256:");
    }

    private static FakeZoomDelivery Recording(DateTimeOffset at, long mp4Bytes = 10_485_760) =>
        FakeZoomDelivery.RecordingCompleted(Secret, at, 81000000001, "4444AAAiAAAAAiAiAiiAii==", "sig-release weekly", mp4Bytes);
}
