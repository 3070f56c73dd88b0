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

/// <summary>A reported recording downloaded (resumed after a cut), checked, stored and published to the fake YouTube and Bilibili.</summary>
public sealed class MeetingRecordingTests
{
    private static async Task<(MeetingsHost Host, MeetingDto Meeting, FakeYouTube YouTube, FakeBilibili Bilibili)> StartAsync(int maxAttempts = 8)
    {
        var youtube = await FakeYouTube.StartAsync();
        var bilibili = await FakeBilibili.StartAsync();
        var settings = youtube.Settings().Concat(bilibili.Settings()).ToDictionary();
        settings["Forgeline:Meetings:MaxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture);
        var host = await MeetingsHost.StartAsync(mail: false, settings: settings);
        return (host, await host.BookSigReleaseAsync("Release sync", "zoom"), youtube, bilibili);
    }

    private static async Task ReportAsync(MeetingsHost host, FakeRecordingServer files, long size)
    {
        var delivery = FakeZoomDelivery.RecordingCompleted(MeetingsHost.WebhookSecret, DateTimeOffset.UtcNow, host.Zoom.Meetings.Keys.Single(), "uuid-r", "Release sync",
            mp4Bytes: size, downloadBase: files.FileUrl("x").ToString()[..^2]);
        (await host.WithAsync<MeetingWebhooks, ServiceResult<WebhookAnswer>>(w => w.ZoomAsync(delivery.Body, delivery.Timestamp, delivery.Signature, CancellationToken.None)))
            .IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public async Task A_recording_is_downloaded_after_a_cut_stored_and_published_to_YouTube_and_Bilibili()
    {
        var (host, meeting, youtube, bilibili) = await StartAsync();
        await using var _ = host;
        await using var __ = youtube;
        await using var ___ = bilibili;
        var video = RandomNumberGenerator.GetBytes(1_500_000);
        await using var files = await FakeRecordingServer.StartAsync(video, token: "dl-token-abc");
        files.CutNextAfter(400_000);
        await ReportAsync(host, files, video.Length);

        await host.SettleAsync();
        // The cut left a partial file; the retry waits its turn (10 s): make it due now, as time would.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
            var waiting = await db.MeetingRecordings.SingleAsync();
            waiting.State.ShouldBe(MeetingRecordings.Pending);
            waiting.Error!.ShouldNotBeNullOrEmpty();
            waiting.NextAttemptAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        }

        await host.SettleAsync();

        files.Calls.Select(c => c.Header("Range")).ShouldContain(r => r.StartsWith("bytes=", StringComparison.Ordinal) && r != "bytes=0-");
        var sha = Convert.ToHexStringLower(SHA256.HashData(video));
        var shown = (await host.WithAsync<MeetingQueries, ServiceResult<MeetingDto>>(q => q.GetAsync(meeting.Id, CancellationToken.None))).Value!;
        var recording = shown.Recordings.ShouldHaveSingleItem();
        recording.State.ShouldBe("published");
        recording.Sha256.ShouldBe(sha);
        recording.Size.ShouldBe(video.Length);
        recording.Videos.Select(v => v.Platform).ShouldBe(["bilibili", "youtube"]);
        recording.Videos.Single(v => v.Platform == "youtube").Url.ShouldStartWith("https://www.youtube.com/watch?v=");
        Convert.ToHexStringLower(SHA256.HashData(youtube.Videos.Values.Single().Bytes)).ShouldBe(sha);
        Convert.ToHexStringLower(SHA256.HashData(bilibili.Videos.Values.Single().Bytes)).ShouldBe(sha);
        host.Services.GetRequiredService<ArtifactStore>().Contains(sha).ShouldBeTrue();
        Directory.EnumerateFiles(Path.Combine(host.Paths.Root, "meetings", "recordings")).ShouldBeEmpty("no partial file is left");

        await using var check = host.Services.CreateAsyncScope();
        var events = await check.ServiceProvider.GetRequiredService<ForgelineDbContext>().Outbox.Where(e => e.Type == "org.forgeline.meeting.recording.published").ToListAsync();
        events.ShouldHaveSingleItem().Data.ShouldNotContain("dl-token-abc");
        (await check.ServiceProvider.GetRequiredService<ForgelineDbContext>().MeetingRecordings.SingleAsync()).DownloadToken.ShouldBeNull();
    }

    [Fact]
    public async Task A_recording_that_is_not_what_Zoom_announced_fails_with_the_reason_and_nothing_is_published()
    {
        var (host, meeting, youtube, bilibili) = await StartAsync(maxAttempts: 1);
        await using var _ = host;
        await using var __ = youtube;
        await using var ___ = bilibili;
        await using var files = await FakeRecordingServer.StartAsync(RandomNumberGenerator.GetBytes(200_000), token: "dl-token-abc");
        await ReportAsync(host, files, 300_000);

        await host.SettleAsync();

        var recording = (await host.WithAsync<MeetingQueries, ServiceResult<MeetingDto>>(q => q.GetAsync(meeting.Id, CancellationToken.None))).Value!.Recordings.Single();
        recording.State.ShouldBe("failed");
        recording.Reason!.ShouldContain("300,000");
        recording.Sha256.ShouldBeNull();
        youtube.Videos.ShouldBeEmpty();
        bilibili.Videos.ShouldBeEmpty();
        Directory.EnumerateFiles(Path.Combine(host.Paths.Root, "meetings", "recordings")).ShouldBeEmpty();
    }
}
