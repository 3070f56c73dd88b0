using System.Globalization;
using System.Security.Cryptography;
using Forgeline.Builds.Artifacts;
using Forgeline.Core;
using Forgeline.Core.Meetings;
using Forgeline.Data;
using Forgeline.Meetings.Server;
using Forgeline.Testing.Meetings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Meetings.Tests.Server;

/// <summary>
/// Tencent Meeting's notifications as the server takes them: a meeting booked on the fake Tencent Meeting, a signed
/// <c>recording.completed</c> (file ids only) de-duplicated, its address asked for before each download, the file
/// stored and published to the fake YouTube; forged, stale and malformed requests refused; the URL verification answered.
/// </summary>
public sealed class TencentRecordingTests
{
    private static async Task<(MeetingsHost Host, MeetingDto Meeting, FakeTencentMeeting Tencent, FakeYouTube YouTube)> StartAsync(bool webhookToken = true)
    {
        var tencent = await FakeTencentMeeting.StartAsync();
        var youtube = await FakeYouTube.StartAsync();
        var settings = youtube.Settings();
        if (!webhookToken)
        {
            settings["Forgeline:Meetings:Tencent:WebhookToken"] = null;
        }

        var host = await MeetingsHost.StartAsync(mail: false, settings: settings, tencent: tencent);
        return (host, await host.BookSigReleaseAsync("Release sync", "tencent"), tencent, youtube);
    }

    private static Task<ServiceResult<WebhookAnswer>> Deliver(MeetingsHost host, FakeTencentDelivery delivery, string? signature = null) =>
        host.WithAsync<MeetingWebhooks, ServiceResult<WebhookAnswer>>(w =>
            w.TencentAsync(delivery.Body, delivery.Timestamp, delivery.Nonce, signature ?? delivery.Signature, CancellationToken.None));

    [Fact]
    public async Task A_reported_recording_is_stored_once_however_often_it_is_retried_fetched_from_a_fresh_address_and_published()
    {
        var (host, meeting, tencent, youtube) = await StartAsync();
        await using var _ = host;
        await using var __ = tencent;
        await using var ___ = youtube;
        var video = RandomNumberGenerator.GetBytes(700_000);
        await using var files = await FakeRecordingServer.StartAsync(video);
        var meetingId = tencent.Meetings.Keys.Single();
        tencent.Recordings["rec-file-1"] = (meetingId, files.FileUrl("rec-file-1.mp4"));
        var delivery = FakeTencentDelivery.RecordingCompleted(MeetingsHost.TencentWebhookToken, DateTimeOffset.UtcNow, meetingId, ["rec-file-1"]);

        for (var i = 0; i < 3; i++)
        {
            (await Deliver(host, delivery)).IsSuccess.ShouldBeTrue();
        }

        // A recording of a meeting not booked here is ignored.
        (await Deliver(host, FakeTencentDelivery.RecordingCompleted(MeetingsHost.TencentWebhookToken, DateTimeOffset.UtcNow, "999", ["other"], traceId: "t-2")))
            .IsSuccess.ShouldBeTrue();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
            var pending = await db.MeetingRecordings.SingleAsync();
            (pending.MeetingId, pending.FileId, pending.State).ShouldBe((meeting.Id, "rec-file-1", MeetingRecordings.Pending));
            (await db.MeetingWebhookDeliveries.CountAsync()).ShouldBe(2);
        }

        // The first download fails; the retry asks Tencent for the address again (it expires within minutes).
        files.FailNext(1, 503);
        await host.SettleAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
            var waiting = await db.MeetingRecordings.SingleAsync();
            waiting.State.ShouldBe(MeetingRecordings.Pending);
            waiting.NextAttemptAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        }

        await host.SettleAsync();

        tencent.Calls.Count(c => c.Method == "GET" && c.Path == "/v1/addresses/rec-file-1").ShouldBe(2);
        tencent.Calls.First(c => c.Path.StartsWith("/v1/addresses/", StringComparison.Ordinal)).Query.ShouldContain("operator_id=forgeline-bot");
        var sha = Convert.ToHexStringLower(SHA256.HashData(video));
        var recording = (await host.WithAsync<MeetingQueries, ServiceResult<MeetingDto>>(q => q.GetAsync(meeting.Id, CancellationToken.None))).Value!.Recordings.ShouldHaveSingleItem();
        recording.State.ShouldBe("published");
        recording.Sha256.ShouldBe(sha);
        recording.Size.ShouldBe(video.Length);
        recording.Videos.ShouldHaveSingleItem().Platform.ShouldBe("youtube");
        Convert.ToHexStringLower(SHA256.HashData(youtube.Videos.Values.Single().Bytes)).ShouldBe(sha);
        host.Services.GetRequiredService<ArtifactStore>().Contains(sha).ShouldBeTrue();
    }

    [Fact]
    public async Task Forged_stale_and_malformed_deliveries_are_refused_and_change_nothing()
    {
        var (host, _, tencent, youtube) = await StartAsync();
        await using var _ = host;
        await using var __ = tencent;
        await using var ___ = youtube;
        var meetingId = tencent.Meetings.Keys.Single();
        var genuine = FakeTencentDelivery.RecordingCompleted(MeetingsHost.TencentWebhookToken, DateTimeOffset.UtcNow, meetingId, ["f1"]);

        var forged = await Deliver(host, FakeTencentDelivery.RecordingCompleted("not-the-token-000000000000", DateTimeOffset.UtcNow, meetingId, ["f1"]));
        forged.Error.ShouldBe(ServiceError.Unauthorized);
        forged.Message!.ShouldContain("not signed with the webhook token");
        (await Deliver(host, genuine with { Data = genuine.Data[..^4] + "AAA=" })).Error.ShouldBe(ServiceError.Unauthorized);
        (await Deliver(host, genuine, signature: "")).Error.ShouldBe(ServiceError.Unauthorized);
        var stale = await Deliver(host, FakeTencentDelivery.RecordingCompleted(MeetingsHost.TencentWebhookToken, DateTimeOffset.UtcNow.AddMinutes(-10), meetingId, ["f1"]));
        stale.Message!.ShouldContain("a replay or a wrong clock");
        (await Deliver(host, FakeTencentDelivery.Signed(MeetingsHost.TencentWebhookToken, "[1,2,3]", DateTimeOffset.UtcNow))).Error.ShouldBe(ServiceError.Invalid);
        (await host.WithAsync<MeetingWebhooks, ServiceResult<WebhookAnswer>>(w => w.TencentAsync("{}"u8.ToArray(), genuine.Timestamp, genuine.Nonce, genuine.Signature, CancellationToken.None)))
            .Error.ShouldBe(ServiceError.Unauthorized);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        (await db.MeetingRecordings.CountAsync()).ShouldBe(0);
        (await db.MeetingWebhookDeliveries.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task The_url_verification_is_answered_with_check_str_decoded_and_refused_when_forged()
    {
        var (host, _, tencent, youtube) = await StartAsync();
        await using var _ = host;
        await using var __ = tencent;
        await using var ___ = youtube;
        var check = FakeTencentDelivery.Signed(MeetingsHost.TencentWebhookToken, "check-me-9f3a", DateTimeOffset.UtcNow);

        var answer = await host.WithAsync<MeetingWebhooks, ServiceResult<WebhookAnswer>>(w => Task.FromResult(w.TencentVerify(check.Data, check.Timestamp, check.Nonce, check.Signature)));
        answer.Value!.Answer.ShouldBe("check-me-9f3a");

        var forged = await host.WithAsync<MeetingWebhooks, ServiceResult<WebhookAnswer>>(w => Task.FromResult(w.TencentVerify(check.Data, check.Timestamp, check.Nonce, new string('0', 40))));
        forged.Error.ShouldBe(ServiceError.Unauthorized);
    }

    [Fact]
    public async Task Without_a_webhook_token_the_webhook_is_unavailable_and_says_which_setting()
    {
        var (host, _, tencent, youtube) = await StartAsync(webhookToken: false);
        await using var _ = host;
        await using var __ = tencent;
        await using var ___ = youtube;
        var delivery = FakeTencentDelivery.RecordingCompleted(MeetingsHost.TencentWebhookToken, DateTimeOffset.UtcNow, tencent.Meetings.Keys.Single(), ["f1"]);

        var result = await Deliver(host, delivery);

        result.Error.ShouldBe(ServiceError.Unavailable);
        result.Message!.ShouldContain("Forgeline:Meetings:Tencent:WebhookToken");
    }
}
