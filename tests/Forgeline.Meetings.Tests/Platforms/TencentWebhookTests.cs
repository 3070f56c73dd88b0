using System.Text;
using Forgeline.Meetings.Platforms.Tencent;
using Forgeline.Testing;
using Forgeline.Testing.Meetings;

namespace Forgeline.Meetings.Tests.Platforms;

/// <summary>
/// Tencent Meeting's event subscription: a request signed as documented (by the fake, computed there independently)
/// is accepted; a wrong, missing or stale signature is refused; the URL verification is answered decoded; the
/// documented <c>recording.completed</c> is read into its meeting and file ids; malformed data reads as nothing.
/// </summary>
public sealed class TencentWebhookTests
{
    private const string Token = "bVPU6F8Htxl5XkAbp3jGV2xWp";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider time = new(Now);
    private readonly TencentWebhook webhook;

    public TencentWebhookTests() => webhook = new TencentWebhook(Token, time);

    [Fact]
    public void The_documented_example_signature_is_reproduced()
    {
        // The "签名校验" page's example: its token is elided in its list
        // ("bVPU6F8Htxxxxxxxp3jGV2xWp") but whole in its sort_str, and its signature is given.
        const string data = "eyJldmVudCI6Im1lZXRpbmcuY3JlYXRlZCIsInVuaXF1ZV9zZXF1ZW5jZSI6ImYyMDA5NmVlLThhYzgtNGRmMi1hN2RlLTA1NzQ2NDlmMjExYiIsInBheWxvYWQiOlt7Im9wZXJhdGVfdGltZSI6IjIwMjAtMTItMjkgMTc6NDE6MDYiLCJvcGVyYXRvciI6eyJ1c2VyaWQiOiJ0ZXN0ZXIwMDAwNmJhNWJhYjMzOTg1OGMxM2M5MzBjY2E5NTY4NCJ9LCJtZWV0aW5nX2luZm8iOnsibWVldGluZ19pZCI6IjYwNTg4OTAzODU0ODA5MjEwNTIiLCJtZWV0aW5nX2NvZGUiOiI1MzA4MTI0NTIiLCJzdWJqZWN0IjoibWVkaWEgdGVzdGVyIG1lZXRpbmciLCJjcmVhdG9yX2lkIjoidGVzdGVyMDAwMDZiYTViYWIzMzk4NThjMTNjOTMwY2NhOTU2ODQiLCJob3N0cyI6WyJ0ZXN0ZXIwMDAwNmJhNWJhYjMzOTg1OGMxM2M5MzBjY2E5NTY4NCJdLCJtZWV0aW5nX3R5cGUiOjAsInN0YXJ0X3RpbWUiOiIyMDIwLTEyLTI5IDE3OjQxOjA0IiwiZW5kX3RpbWUiOiIyMDIwLTEyLTI5IDE4OjAxOjA0In19XX0";
        TencentWebhook.Sign(Token, "1609239040864", "14964161", data).ShouldBe("b11e507817336a91d7df0c8536ee2aca18bbbae8");
    }

    [Fact]
    public void A_request_signed_with_the_token_is_accepted_with_a_millisecond_or_second_timestamp()
    {
        var delivery = Recording(Now);

        webhook.Verify(delivery.Timestamp, delivery.Nonce, delivery.Signature, delivery.Data, out var problem).ShouldBeTrue();
        problem.ShouldBeNull();
        webhook.Verify(delivery.Timestamp, delivery.Nonce, delivery.Signature.ToUpperInvariant(), delivery.Data, out _).ShouldBeTrue();

        var seconds = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        webhook.Verify(seconds, "7", TencentWebhook.Sign(Token, seconds, "7", delivery.Data), delivery.Data, out _).ShouldBeTrue();
    }

    [Fact]
    public void A_wrong_or_missing_signature_is_refused_without_showing_the_token()
    {
        var forged = FakeTencentDelivery.RecordingCompleted("not-the-token-at-all-00000", Now, "13339451618278424869", ["f1"]);
        webhook.Verify(forged.Timestamp, forged.Nonce, forged.Signature, forged.Data, out var problem).ShouldBeFalse();
        problem!.ShouldContain("not signed with the webhook token");
        problem!.ShouldNotContain(Token);

        var genuine = Recording(Now);
        webhook.Verify(genuine.Timestamp, genuine.Nonce, genuine.Signature, genuine.Data + "AA", out _).ShouldBeFalse();
        webhook.Verify(genuine.Timestamp, "other", genuine.Signature, genuine.Data, out _).ShouldBeFalse();
        webhook.Verify(genuine.Timestamp, genuine.Nonce, null, genuine.Data, out problem).ShouldBeFalse();
        problem!.ShouldContain("X-TC-Signature");
        webhook.Verify("soon", genuine.Nonce, genuine.Signature, genuine.Data, out problem).ShouldBeFalse();
        problem!.ShouldContain("X-TC-Timestamp");
        webhook.Verify(genuine.Timestamp, genuine.Nonce, genuine.Signature, null, out _).ShouldBeFalse();
    }

    [Fact]
    public void A_stale_or_future_request_is_refused_as_a_replay()
    {
        foreach (var at in new[] { Now.AddMinutes(-6), Now.AddMinutes(6) })
        {
            var delivery = Recording(at);
            webhook.Verify(delivery.Timestamp, delivery.Nonce, delivery.Signature, delivery.Data, out var problem).ShouldBeFalse();
            problem!.ShouldContain("a replay or a wrong clock");
        }

        var recent = Recording(Now.AddMinutes(-4));
        webhook.Verify(recent.Timestamp, recent.Nonce, recent.Signature, recent.Data, out _).ShouldBeTrue();
    }

    [Fact]
    public void The_url_verification_is_answered_with_check_str_decoded()
    {
        var verification = FakeTencentDelivery.Signed(Token, "plain-check-1234", Now);
        var checkStr = TencentWebhook.CheckString(verification.Data.Replace('+', ' '));

        webhook.Verify(verification.Timestamp, verification.Nonce, verification.Signature, checkStr, out _).ShouldBeTrue();
        TencentWebhook.AnswerUrlVerification(checkStr).ShouldBe("plain-check-1234");
        TencentWebhook.AnswerUrlVerification("not base64!").ShouldBeNull();
    }

    [Fact]
    public void Recording_completed_gives_the_meeting_and_its_distinct_file_ids_and_a_key_from_the_trace_id()
    {
        var delivery = FakeTencentDelivery.RecordingCompleted(Token, Now, "13339451618278424869", ["123242525", "123242525", "123242526"], traceId: "trace-1");

        TencentWebhook.Data(delivery.Body).ShouldBe(delivery.Data);
        var parsed = TencentWebhook.Parse(delivery.Data).ShouldNotBeNull();
        parsed.Name.ShouldBe("recording.completed");
        parsed.DeliveryKey.ShouldBe("tencent:recording.completed:trace-1");
        var recording = TencentWebhook.Recordings(parsed).ShouldHaveSingleItem();
        recording.MeetingId.ShouldBe("13339451618278424869");
        recording.FileIds.ShouldBe(["123242525", "123242526"]);
    }

    [Fact]
    public void Malformed_bodies_and_data_read_as_nothing()
    {
        TencentWebhook.Data("not json"u8).ShouldBeNull();
        TencentWebhook.Data("""{"data":1}"""u8).ShouldBeNull();
        TencentWebhook.Data("[]"u8).ShouldBeNull();
        TencentWebhook.Parse("%%%").ShouldBeNull();
        TencentWebhook.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes("[1,2]"))).ShouldBeNull();
        TencentWebhook.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"trace_id\":\"t\"}"))).ShouldBeNull();

        var other = TencentWebhook.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"event\":\"meeting.started\",\"payload\":[{}]}"))).ShouldNotBeNull();
        other.DeliveryKey.ShouldStartWith("tencent:meeting.started:sha256:");
        TencentWebhook.Recordings(other).ShouldBeEmpty();
        var noFiles = TencentWebhook.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(
            "{\"event\":\"recording.completed\",\"payload\":[{\"meeting_info\":{\"meeting_id\":\"1\"},\"recording_files\":\"x\"}]}"))).ShouldNotBeNull();
        TencentWebhook.Recordings(noFiles).ShouldBeEmpty();
    }

    private static FakeTencentDelivery Recording(DateTimeOffset at) =>
        FakeTencentDelivery.RecordingCompleted(Token, at, "13339451618278424869", ["123242525"]);
}
