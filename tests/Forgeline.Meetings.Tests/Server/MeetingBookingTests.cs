using System.Globalization;
using Forgeline.Core;
using Forgeline.Core.Meetings;
using Forgeline.Data;
using Forgeline.Meetings.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Forgeline.Meetings.Tests.Server;

/// <summary>Booking, changing and cancelling on a fake Zoom with a real database and a real SMTP server.</summary>
public sealed class MeetingBookingTests
{
    private static readonly MeetingCaller Alice = new("alice", ["sig-release"], false);
    private static readonly MeetingCaller Bob = new("bob", ["sig-kernel"], false);

    private static string InDays(int days, int hour = 14) =>
        DateTime.UtcNow.Date.AddDays(days).AddHours(hour).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static MeetingBookingRequest Weekly(string start) =>
        new("sig-release", "Release sync", start, "Europe/Berlin", 60, "zoom", "weekly", 4, "https://etherpad.example.org/p/release");

    [Fact]
    public async Task A_member_books_a_weekly_meeting_which_Zoom_creates_and_the_list_receives()
    {
        await using var host = await MeetingsHost.StartAsync();
        await host.SigAsync("sig-release");

        var booked = await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b => b.BookAsync(Alice, Weekly(InDays(10)), CancellationToken.None));

        booked.IsSuccess.ShouldBeTrue(booked.Message);
        var meeting = booked.Value!;
        meeting.JoinUrl.ShouldStartWith("https://");
        meeting.Occurrences.ShouldBe(4);
        meeting.Upcoming.Count.ShouldBe(4);
        meeting.Upcoming.Select(u => TimeZoneInfo.ConvertTime(u, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).Hour).ShouldAllBe(h => h == 14);
        var create = host.Zoom.Calls.Single(c => c.Method == "POST" && c.Path.EndsWith("/meetings", StringComparison.Ordinal));
        create.Json.GetProperty("type").GetInt32().ShouldBe(8);
        create.Json.GetProperty("timezone").GetString().ShouldBe("Europe/Berlin");

        await host.SettleAsync();
        var messages = await host.Smtp!.MessagesAsync();
        var invitation = messages.ShouldHaveSingleItem();
        invitation.Subject.ShouldBe("Invitation: [sig-release] Release sync");
        invitation.To.ToString().ShouldBe("sig-release@lists.example.org");
        invitation.MessageId.ShouldBe($"meeting-{meeting.Id}.seq0@forgeline.example");

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ForgelineDbContext>();
        (await db.Outbox.Where(e => e.Type == "org.forgeline.meeting.scheduled").CountAsync()).ShouldBe(1);
        (await db.MeetingMails.SingleAsync()).State.ShouldBe(MeetingMailer.Sent);
    }

    public static TheoryData<string, MeetingBookingRequest, ServiceError, string> Refusals() => new()
    {
        { "past", new("sig-release", "Sync", InDays(-2), "UTC", 60, "zoom"), ServiceError.Invalid, "is in the past" },
        { "zero minutes", new("sig-release", "Sync", InDays(3), "UTC", 0, "zoom"), ServiceError.Invalid, "from 5 minutes to 24 hours, not 0 minutes" },
        { "thirty days", new("sig-release", "Sync", InDays(3), "UTC", 30 * 24 * 60, "zoom"), ServiceError.Invalid, "not 30 days" },
        { "unknown zone", new("sig-release", "Sync", InDays(3), "Mars/Olympus_Mons", 60, "zoom"), ServiceError.Invalid, "'Mars/Olympus_Mons' is not a time zone" },
        { "not a member", new("sig-kernel", "Sync", InDays(3), "UTC", 60, "zoom"), ServiceError.Forbidden, "only members of sig-kernel book its meetings, and alice is not one" },
        { "no such SIG", new("sig-nowhere", "Sync", InDays(3), "UTC", 60, "zoom"), ServiceError.NotFound, "there is no SIG 'sig-nowhere'" },
        { "unknown platform", new("sig-release", "Sync", InDays(3), "UTC", 60, "skype"), ServiceError.Invalid, "there is no meeting platform 'skype'; this server books on zoom" },
        { "bad start", new("sig-release", "Sync", "next tuesday", "UTC", 60, "zoom"), ServiceError.Invalid, "a local time like 2027-01-12T14:00, not 'next tuesday'" },
        { "agenda not a link", new("sig-release", "Sync", InDays(3), "UTC", 60, "zoom", Agenda: "javascript:alert(1)"), ServiceError.Invalid, "the agenda is a link" },
        { "no title", new("sig-release", "  ", InDays(3), "UTC", 60, "zoom"), ServiceError.Invalid, "give the meeting a title" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_bookings_are_refused_with_the_reason_and_nothing_is_created(string why, MeetingBookingRequest request, ServiceError error, string message)
    {
        await using var host = await MeetingsHost.StartAsync(mail: false);
        await host.SigAsync("sig-release");
        await host.SigAsync("sig-kernel");

        var result = await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b => b.BookAsync(Alice, request, CancellationToken.None));

        result.Error.ShouldBe(error, why);
        result.Message!.ShouldContain(message);
        host.Zoom.Meetings.ShouldBeEmpty();
    }

    [Fact]
    public async Task Overlapping_meetings_of_a_SIG_and_a_full_platform_account_are_refused()
    {
        await using var host = await MeetingsHost.StartAsync(mail: false, settings: new Dictionary<string, string?> { ["Forgeline:Meetings:Zoom:ConcurrentMeetings"] = "2" });
        await host.SigAsync("sig-release");
        await host.SigAsync("sig-kernel");
        await host.SigAsync("sig-docs");
        var start = InDays(5);
        (await Book(host, Alice, new("sig-release", "A", start, "UTC", 60, "zoom"))).IsSuccess.ShouldBeTrue();

        var sameSig = await Book(host, Alice, new("sig-release", "B", InDays(5, 14).Replace("T14:00", "T14:30", StringComparison.Ordinal), "UTC", 60, "zoom"));
        sameSig.Error.ShouldBe(ServiceError.Conflict);
        sameSig.Message!.ShouldContain("sig-release");

        (await Book(host, Bob, new("sig-kernel", "K", start, "UTC", 60, "zoom"))).IsSuccess.ShouldBeTrue();
        var third = await Book(host, new MeetingCaller("carol", ["sig-docs"], false), new("sig-docs", "D", start, "UTC", 60, "zoom"));
        third.Error.ShouldBe(ServiceError.Conflict);
        third.Message!.ShouldContain("as many as it may at once (2)");

        var backToBack = await Book(host, Alice, new("sig-release", "C", InDays(5, 15), "UTC", 60, "zoom"));
        backToBack.IsSuccess.ShouldBeTrue(backToBack.Message);
        host.Zoom.Meetings.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Two_replicas_on_one_PostgreSQL_database_book_only_one_of_overlapping_meetings()
    {
        await using var first = await MeetingsHost.StartAsync(mail: false, engine: DatabaseEngine.Postgres);
        await using var second = await MeetingsHost.StartAsync(mail: false, shared: first.Database);
        await first.SigAsync("sig-release");
        var start = InDays(6);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Book(i % 2 == 0 ? first : second, Alice, new("sig-release", $"M{i}", start, "UTC", 60, "zoom"))));

        results.Count(r => r.IsSuccess).ShouldBe(1, string.Join("; ", results.Select(r => r.Message)));
        results.Where(r => !r.IsSuccess).ShouldAllBe(r => r.Error == ServiceError.Conflict);
        (first.Zoom.Meetings.Count + second.Zoom.Meetings.Count).ShouldBe(1);
    }

    [Theory]
    [InlineData(429, "rate limit", ServiceError.Unavailable)]
    [InlineData(500, "failed with 500", ServiceError.Unavailable)]
    public async Task A_platform_that_is_busy_or_failing_books_nothing(int status, string message, ServiceError error)
    {
        await using var host = await MeetingsHost.StartAsync();
        await host.SigAsync("sig-release");
        host.Zoom.FailNext(1, status, status == 429 ? "7" : null);

        var result = await Book(host, Alice, Weekly(InDays(10)));

        result.Error.ShouldBe(error);
        result.Message!.ShouldContain(message);
        result.Message!.ShouldContain("nothing was changed");
        await host.SettleAsync();
        host.Smtp!.MessageFiles().ShouldBeEmpty();
        (await host.WithAsync<MeetingQueries, ServiceResult<List<MeetingDto>>>(q => q.ListAsync(null, null, null, true, CancellationToken.None))).Value!.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_meeting_the_database_cannot_store_is_deleted_from_Zoom_again()
    {
        var failing = new FailMeetingInserts();
        await using var host = await MeetingsHost.StartAsync(mail: false, fault: failing);
        await host.SigAsync("sig-release");
        failing.Armed = true;

        var result = await Book(host, Alice, Weekly(InDays(10)));

        result.Error.ShouldBe(ServiceError.Unavailable);
        result.Message!.ShouldContain("it was deleted from Zoom again, nothing was booked");
        host.Zoom.Calls.Count(c => c.Method == "POST" && c.Path.EndsWith("/meetings", StringComparison.Ordinal)).ShouldBe(1);
        host.Zoom.Calls.Count(c => c.Method == "DELETE").ShouldBe(1);
        host.Zoom.Meetings.ShouldBeEmpty();
    }

    [Fact]
    public async Task Changes_and_cancellations_reach_Zoom_and_the_list_with_a_higher_sequence()
    {
        await using var host = await MeetingsHost.StartAsync();
        await host.SigAsync("sig-release");
        var meeting = (await Book(host, Alice, Weekly(InDays(10)))).Value!;
        await host.SettleAsync();

        var changed = await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b =>
            b.ChangeAsync(Alice, meeting.Id, new MeetingBookingRequest(Title: "Release sync (moved)", Start: InDays(11, 9)), CancellationToken.None));
        changed.IsSuccess.ShouldBeTrue(changed.Message);
        changed.Value!.Sequence.ShouldBe(1);
        var patch = host.Zoom.Calls.Single(c => c.Method == "PATCH");
        patch.Json.GetProperty("topic").GetString().ShouldBe("Release sync (moved)");
        await host.SettleAsync();

        var stranger = await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b => b.CancelAsync(Bob, meeting.Id, CancellationToken.None));
        stranger.Error.ShouldBe(ServiceError.Forbidden);

        var cancelled = await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b => b.CancelAsync(Alice, meeting.Id, CancellationToken.None));
        cancelled.Value!.State.ShouldBe("cancelled");
        cancelled.Value.Sequence.ShouldBe(2);
        host.Zoom.Meetings.ShouldBeEmpty();
        await host.SettleAsync();

        var subjects = (await host.Smtp!.MessagesAsync()).Select(m => m.Subject).ToList();
        subjects.ShouldBe(["Invitation: [sig-release] Release sync", "Updated: [sig-release] Release sync (moved)", "Cancelled: [sig-release] Release sync (moved)"], ignoreOrder: true);
        (await host.Smtp.MessagesAsync()).Last(m => m.Subject!.StartsWith("Cancelled", StringComparison.Ordinal)).MessageId
            .ShouldBe($"meeting-{meeting.Id}.seq2@forgeline.example");
        var again = await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b => b.CancelAsync(Alice, meeting.Id, CancellationToken.None));
        again.Error.ShouldBe(ServiceError.Conflict);
    }

    [Fact]
    public async Task A_change_Zoom_refuses_leaves_the_meeting_as_it_was()
    {
        await using var host = await MeetingsHost.StartAsync(mail: false);
        await host.SigAsync("sig-release");
        var meeting = (await Book(host, Alice, Weekly(InDays(10)))).Value!;
        host.Zoom.FailNext(1, 500);

        var changed = await host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b =>
            b.ChangeAsync(Alice, meeting.Id, new MeetingBookingRequest(Start: InDays(12)), CancellationToken.None));

        changed.Error.ShouldBe(ServiceError.Unavailable);
        var stored = (await host.WithAsync<MeetingQueries, ServiceResult<MeetingDto>>(q => q.GetAsync(meeting.Id, CancellationToken.None))).Value!;
        stored.Start.ShouldBe(meeting.Start);
        stored.Sequence.ShouldBe(0);
    }

    private static Task<ServiceResult<MeetingDto>> Book(MeetingsHost host, MeetingCaller caller, MeetingBookingRequest request) =>
        host.WithAsync<MeetingBooking, ServiceResult<MeetingDto>>(b => b.BookAsync(caller, request, CancellationToken.None));

    /// <summary>A database fault: inserting a meeting fails (a full disk, a lost connection) while everything else works.</summary>
    internal sealed class FailMeetingInserts : SaveChangesInterceptor
    {
        public bool Armed { get; set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && eventData.Context!.ChangeTracker.Entries<Forgeline.Data.Entities.MeetingRecord>().Any(e => e.State == EntityState.Added))
            {
                throw new DbUpdateException("disk I/O error (injected)");
            }

            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
