using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Meetings;
using Forgeline.Data;
using Forgeline.Meetings.Server;
using Forgeline.Testing.Meetings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Meetings.Tests.Server;

/// <summary>Zoom's notifications as the server takes them: checked, de-duplicated, turned into recordings and participants.</summary>
public sealed class MeetingWebhookTests
{
    private static async Task<(MeetingsHost Host, MeetingDto Meeting)> BookedAsync()
    {
        var host = await MeetingsHost.StartAsync(mail: false);
        return (host, await host.BookSigReleaseAsync("Sync", "zoom", daysAhead: 3));
    }

    private static Task<ServiceResult<WebhookAnswer>> Deliver(MeetingsHost host, FakeZoomDelivery delivery, string? signature = null) =>
        host.WithAsync<MeetingWebhooks, ServiceResult<WebhookAnswer>>(w => w.ZoomAsync(delivery.Body, delivery.Timestamp, signature ?? delivery.Signature, CancellationToken.None));

    [Fact]
    public async Task A_recording_report_is_stored_once_however_often_Zoom_retries_it()
    {
        var (host, meeting) = await BookedAsync();
        await using var _ = host;
        var zoomId = long.Parse(host.Zoom.Meetings.Keys.Single().ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var delivery = FakeZoomDelivery.RecordingCompleted(MeetingsHost.WebhookSecret, DateTimeOffset.UtcNow, zoomId, "uuid-1==", "Sync", mp4Bytes: 4096);

        for (var i = 0; i < 3; i++)
        {
            (await Deliver(host, delivery)).IsSuccess.ShouldBeTrue();
        }

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        var recording = await db.MeetingRecordings.SingleAsync();
        recording.MeetingId.ShouldBe(meeting.Id);
        recording.ExpectedSize.ShouldBe(4096);
        recording.State.ShouldBe(MeetingRecordings.Pending);
        (await db.MeetingWebhookDeliveries.CountAsync()).ShouldBe(1);
        var shown = (await host.WithAsync<MeetingQueries, ServiceResult<MeetingDto>>(q => q.GetAsync(meeting.Id, CancellationToken.None))).Value!;
        shown.Recordings.ShouldHaveSingleItem().State.ShouldBe("pending");
    }

    [Fact]
    public async Task Forged_stale_and_malformed_deliveries_are_refused_and_change_nothing()
    {
        var (host, _) = await BookedAsync();
        await using var _ = host;
        var zoomId = host.Zoom.Meetings.Keys.Single();
        var genuine = FakeZoomDelivery.RecordingCompleted(MeetingsHost.WebhookSecret, DateTimeOffset.UtcNow, zoomId, "uuid-2", "Sync");

        var forged = await Deliver(host, FakeZoomDelivery.RecordingCompleted("not-the-secret", DateTimeOffset.UtcNow, zoomId, "uuid-2", "Sync"));
        forged.Error.ShouldBe(ServiceError.Unauthorized);
        forged.Message!.ShouldContain("not signed with the webhook secret token");

        var tampered = genuine.Body.ToArray();
        tampered[^3] ^= 1;
        (await host.WithAsync<MeetingWebhooks, ServiceResult<WebhookAnswer>>(w => w.ZoomAsync(tampered, genuine.Timestamp, genuine.Signature, CancellationToken.None)))
            .Error.ShouldBe(ServiceError.Unauthorized);

        var stale = await Deliver(host, FakeZoomDelivery.RecordingCompleted(MeetingsHost.WebhookSecret, DateTimeOffset.UtcNow.AddMinutes(-10), zoomId, "uuid-2", "Sync"));
        stale.Error.ShouldBe(ServiceError.Unauthorized);
        stale.Message!.ShouldContain("a replay or a wrong clock");

        (await Deliver(host, genuine, signature: "")).Error.ShouldBe(ServiceError.Unauthorized);
        (await Deliver(host, FakeZoomDelivery.Signed(MeetingsHost.WebhookSecret, "[1,2,3]", DateTimeOffset.UtcNow))).Error.ShouldBe(ServiceError.Invalid);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        (await db.MeetingRecordings.CountAsync()).ShouldBe(0);
        (await db.MeetingWebhookDeliveries.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Url_validation_is_answered_with_the_token_s_HMAC()
    {
        var (host, _) = await BookedAsync();
        await using var _ = host;
        var body = """{"event":"endpoint.url_validation","event_ts":1700000000000,"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}""";

        var answer = await Deliver(host, FakeZoomDelivery.Signed(MeetingsHost.WebhookSecret, body, DateTimeOffset.UtcNow));

        var validation = answer.Value!.Answer.ShouldBeOfType<Forgeline.Meetings.Platforms.Zoom.ZoomUrlValidationAnswer>();
        validation.PlainToken.ShouldBe("qgg8vlvZRS6UYooatFL8Aw");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(MeetingsHost.WebhookSecret), System.Text.Encoding.UTF8.GetBytes("qgg8vlvZRS6UYooatFL8Aw")));
        validation.EncryptedToken.ShouldBe(expected);
    }

    [Fact]
    public async Task Participants_are_counted_once_per_person()
    {
        var (host, meeting) = await BookedAsync();
        await using var _ = host;
        var zoomId = host.Zoom.Meetings.Keys.Single().ToString(CultureInfo.InvariantCulture);
        var joined = meeting.Start.AddMinutes(2);
        var at = joined.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        string Joined(string who, long ts) =>
            "{\"event\":\"meeting.participant_joined\",\"event_ts\":" + ts + ",\"payload\":{\"object\":{\"id\":\"" + zoomId + "\",\"uuid\":\"u\",\"participant\":{\"user_id\":\""
            + who + "\",\"user_name\":\"" + who + "\",\"join_time\":\"" + at + "\"}}}}";

        foreach (var (who, ts) in new[] { ("p1", 1L), ("p2", 2L), ("p1", 3L), ("p2", 2L) })
        {
            (await Deliver(host, FakeZoomDelivery.Signed(MeetingsHost.WebhookSecret, Joined(who, ts), DateTimeOffset.UtcNow))).IsSuccess.ShouldBeTrue();
        }

        await using var scope = host.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<ForgelineDbContext>().MeetingParticipants.CountAsync()).ShouldBe(2);
    }
}
