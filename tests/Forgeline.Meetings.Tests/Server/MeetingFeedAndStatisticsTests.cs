using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Meetings;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.Meetings.Server;
using Forgeline.Testing.Meetings;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Meetings.Tests.Server;

/// <summary>The calendar feeds (read back by python3-icalendar) and the statistics.</summary>
public sealed class MeetingFeedAndStatisticsTests
{
    private static string InDays(int days, int hour) =>
        DateTime.UtcNow.Date.AddDays(days).AddHours(hour).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Each_SIG_s_feed_holds_its_meetings_the_community_feed_all_and_a_change_is_seen_at_once()
    {
        await using var host = await MeetingsHost.StartAsync(mail: false);
        await host.SigAsync("sig-release");
        await host.SigAsync("sig-kernel");
        var alice = new MeetingCaller("alice", ["sig-release", "sig-kernel"], false);
        var release = (await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b =>
            b.BookAsync(alice, new MeetingBookingRequest("sig-release", "Release", InDays(4, 8), "Asia/Shanghai", 60, "zoom", "weekly", 3), CancellationToken.None))).Value!;
        (await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b =>
            b.BookAsync(alice, new MeetingBookingRequest("sig-kernel", "Kernel", InDays(5, 15), "Europe/Berlin", 45, "zoom"), CancellationToken.None))).IsSuccess.ShouldBeTrue();
        var feeds = host.Services.GetRequiredService<MeetingFeeds>();

        var sig = await feeds.FeedAsync("sig-release", CancellationToken.None);
        var read = await IcalendarReader.ReadAsync(sig.Text);
        read.GetProperty("name").GetString().ShouldBe("sig-release meetings");
        read.GetProperty("method").GetString().ShouldBe("PUBLISH");
        var only = read.GetProperty("events").EnumerateArray().ShouldHaveSingleItem();
        only.GetProperty("summary").GetString().ShouldBe("[sig-release] Release");
        only.GetProperty("rrule").GetString().ShouldBe("FREQ=WEEKLY;COUNT=3");
        only.GetProperty("tzid").GetString().ShouldBe("Asia/Shanghai");
        read.GetProperty("zones").GetProperty("Asia/Shanghai").GetBoolean().ShouldBeTrue();

        var community = await IcalendarReader.ReadAsync((await feeds.FeedAsync(null, CancellationToken.None)).Text);
        community.GetProperty("events").GetArrayLength().ShouldBe(2);
        (await feeds.FeedAsync("sig-release", CancellationToken.None)).ShouldBeSameAs(sig, "unchanged: the written feed is kept");

        (await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b => b.CancelAsync(alice, release.Id, CancellationToken.None))).IsSuccess.ShouldBeTrue();
        var after = await feeds.FeedAsync("sig-release", CancellationToken.None);
        after.ETag.ShouldNotBe(sig.ETag);
        var cancelled = (await IcalendarReader.ReadAsync(after.Text)).GetProperty("events").EnumerateArray().ShouldHaveSingleItem();
        cancelled.GetProperty("status").GetString().ShouldBe("CANCELLED");
        cancelled.GetProperty("sequence").GetInt32().ShouldBe(1);
        (await IcalendarReader.ReadAsync((await feeds.FeedAsync("sig-nobody", CancellationToken.None)).Text)).GetProperty("events").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Statistics_count_occurrences_hours_and_participants_per_SIG_and_month()
    {
        await using var host = await MeetingsHost.StartAsync(mail: false);
        var now = DateTime.UtcNow;
        var thisMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var twoMonthsAgo = thisMonth.AddMonths(-2);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
            // Held meetings (booked earlier): a weekly one of four, 90 minutes, from two months ago; a cancelled one; one of another SIG.
            var weekly = Row("sig-release", twoMonthsAgo.AddDays(2).AddHours(9), 90, "weekly", 4);
            db.Meetings.AddRange(weekly, Row("sig-release", twoMonthsAgo.AddDays(3), 60, "none", 1, cancelled: true), Row("sig-kernel", twoMonthsAgo.AddDays(10).AddHours(14), 60, "none", 1));
            await db.SaveChangesAsync();
            db.MeetingParticipants.AddRange(
                new MeetingParticipantRecord { MeetingId = weekly.Id, Participant = "0:p1", JoinedAt = weekly.FirstStart.AddMinutes(1) },
                new MeetingParticipantRecord { MeetingId = weekly.Id, Participant = "0:p2", JoinedAt = weekly.FirstStart.AddMinutes(3) },
                new MeetingParticipantRecord { MeetingId = weekly.Id, Participant = "1:p1", JoinedAt = weekly.FirstStart.AddDays(7) });
            await db.SaveChangesAsync();
        }

        var stats = (await host.WithAsync<MeetingQueries, ServiceResult<MeetingStatistics>>(q => q.StatisticsAsync(null, null, CancellationToken.None))).Value!;

        stats.Months.Count.ShouldBe(12);
        stats.Months[^1].ShouldBe(thisMonth.AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture));
        var month = twoMonthsAgo.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var release = stats.Cells.Where(c => c.Sig == "sig-release").ToList();
        release.Sum(c => c.Meetings).ShouldBe(4);
        release.Sum(c => c.Hours).ShouldBe(6);
        release.Single(c => c.Month == month).Participants.ShouldBe(3);
        stats.Cells.ShouldContain(new MeetingMonthStat("sig-kernel", month, 1, 1, 0));
        stats.Sigs.Select(s => s.Sig).ShouldBe(["sig-release", "sig-kernel"]);

        (await host.WithAsync<MeetingQueries, ServiceResult<MeetingStatistics>>(q => q.StatisticsAsync("2027-13", null, CancellationToken.None))).Error.ShouldBe(ServiceError.Invalid);
        (await host.WithAsync<MeetingQueries, ServiceResult<MeetingStatistics>>(q => q.StatisticsAsync("2027-06", "2027-01", CancellationToken.None))).Error.ShouldBe(ServiceError.Invalid);
    }

    private static MeetingRecord Row(string sig, DateTime start, int minutes, string recurrence, int occurrences, bool cancelled = false)
    {
        var row = new MeetingRecord
        {
            Sig = sig, Title = "Held", LocalStart = DateTime.SpecifyKind(start, DateTimeKind.Unspecified), TimeZone = "UTC", DurationMinutes = minutes, Recurrence = recurrence,
            Occurrences = occurrences, Platform = "zoom", PlatformId = Guid.NewGuid().ToString(), JoinUrl = "https://zoom.example/j/1", Passcode = "",
            State = cancelled ? MeetingRows.Cancelled : MeetingRows.Scheduled, CreatedBy = "alice", CreatedAt = start.AddDays(-7), UpdatedAt = start.AddDays(-7),
        };
        var occurrencesOf = MeetingRows.Occurrences(row);
        row.FirstStart = occurrencesOf[0].Start.UtcDateTime;
        row.LastEnd = occurrencesOf[^1].End.UtcDateTime;
        return row;
    }
}
