using Forgeline.Core;
using Forgeline.Core.Meetings;
using Forgeline.Data;
using Forgeline.Meetings.Server;
using Forgeline.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Meetings.Tests.Server;

/// <summary>Reminders and the mail queue, with a clock the test moves and a real SMTP server.</summary>
public sealed class MeetingMailTests
{
    private static readonly MeetingCaller Alice = new("alice", ["sig-release"], false);

    private static async Task<(MeetingsHost Host, MeetingDto Meeting)> WeeklyAsync(FakeTimeProvider clock, bool mail = true, int occurrences = 3)
    {
        var host = await MeetingsHost.StartAsync(mail: mail, clock: clock, settings: new Dictionary<string, string?> { ["Forgeline:Meetings:ReminderLead"] = "01:00:00" });
        await host.SigAsync("sig-release");
        var start = clock.GetUtcNow().UtcDateTime.Date.AddDays(2).AddHours(10);
        var booked = await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b => b.BookAsync(
            Alice, new MeetingBookingRequest("sig-release", "Weekly", start.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture), "UTC", 30, "zoom", "weekly", occurrences),
            CancellationToken.None));
        booked.IsSuccess.ShouldBeTrue(booked.Message);
        return (host, booked.Value!);
    }

    [Fact]
    public async Task Each_occurrence_is_reminded_once_an_hour_before_it_and_never_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (host, meeting) = await WeeklyAsync(clock);
        await using var _ = host;
        await host.SettleAsync();
        (await host.Smtp!.MessagesAsync()).Count.ShouldBe(1);

        clock.Advance(meeting.Upcoming[0] - clock.GetUtcNow() - TimeSpan.FromMinutes(61));
        await host.SettleAsync();
        (await host.Smtp.MessagesAsync()).Count.ShouldBe(1, "not yet: 61 minutes before");

        clock.Advance(TimeSpan.FromMinutes(2));
        await host.SettleAsync();
        await host.SettleAsync();
        var reminder = (await host.Smtp.MessagesAsync()).Where(m => m.Subject!.StartsWith("Reminder:", StringComparison.Ordinal)).ShouldHaveSingleItem();
        reminder.MessageId.ShouldBe($"meeting-{meeting.Id}.reminder0@forgeline.example");

        // A long stop: the second occurrence's reminder time passes, and it is still sent while the meeting has not begun.
        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(29)); // 30 minutes before the second
        await host.SettleAsync();
        // After the last one has begun there is nothing left.
        clock.Advance(TimeSpan.FromDays(8));
        await host.SettleAsync();
        var reminders = (await host.Smtp.MessagesAsync()).Where(m => m.Subject!.StartsWith("Reminder:", StringComparison.Ordinal)).Select(m => m.MessageId).ToList();
        reminders.ShouldBe([$"meeting-{meeting.Id}.reminder0@forgeline.example", $"meeting-{meeting.Id}.reminder1@forgeline.example"]);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        (await db.Meetings.SingleAsync()).NextReminderAt.ShouldBeNull();
    }

    [Fact]
    public async Task A_mail_server_that_is_down_gets_the_mail_later_and_an_overtaken_update_is_not_sent()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (host, meeting) = await WeeklyAsync(clock);
        await using var _ = host;
        await host.Smtp!.DisposeAsync(); // the server is down: the connection is refused

        await host.SettleAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var mail = await scope.ServiceProvider.GetRequiredService<ForgelineDbContext>().MeetingMails.SingleAsync();
            mail.State.ShouldBe(MeetingMailer.Pending);
            mail.Attempts.ShouldBe(1);
            mail.Error!.ShouldContain("could not connect to the mail server");
        }

        var changed = await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b => b.ChangeAsync(Alice, meeting.Id, new MeetingBookingRequest(Title: "Weekly (new title)"), CancellationToken.None));
        changed.IsSuccess.ShouldBeTrue(changed.Message);
        clock.Advance(TimeSpan.FromMinutes(1));
        await host.SettleAsync();

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var mails = await scope.ServiceProvider.GetRequiredService<ForgelineDbContext>().MeetingMails.OrderBy(m => m.Id).ToListAsync();
            mails.Select(m => (m.Kind, m.State)).ShouldBe([("invitation", MeetingMailer.Superseded), ("update", MeetingMailer.Pending)]);
            mails[1].Error!.ShouldContain("could not connect");
        }
    }

    [Fact]
    public async Task Without_a_mail_server_meetings_are_booked_without_mail()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (host, _) = await WeeklyAsync(clock, mail: false);
        await using var __ = host;
        clock.Advance(TimeSpan.FromDays(3));
        await host.SettleAsync();
        await using var scope = host.Services.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<ForgelineDbContext>().MeetingMails.CountAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(4, 80)]
    [InlineData(20, 3600)]
    public void Retries_wait_longer_each_time_up_to_an_hour(int attempts, int seconds) =>
        MeetingMailer.Backoff(attempts).ShouldBe(TimeSpan.FromSeconds(seconds));
}
