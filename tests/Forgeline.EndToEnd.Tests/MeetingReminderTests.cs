using System.Globalization;
using Forgeline.Core.Accounts;
using Forgeline.Core.Meetings;
using Forgeline.Testing.Meetings;
using MimeKit;

namespace Forgeline.EndToEnd.Tests;

/// <summary>
/// Reminders from the durable schedule of a real <c>forgeline server</c>, killed with SIGKILL again and again around the
/// moment they come due: every meeting's invitation and reminder reach the real SMTP server exactly once.
/// </summary>
public sealed class MeetingReminderTests
{
    private const int Meetings = 8;

    [Fact]
    public async Task Reminders_are_neither_lost_nor_sent_twice_across_kill_9_of_the_server()
    {
        // Every meeting starts at the same minute, a few minutes ahead; the lead puts all reminders 25 s from now.
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(4);
        var due = now.AddSeconds(25);
        var lead = start - due;
        await using var meetings = await MeetingServer.StartAsync(new Dictionary<string, string?>
        {
            ["Forgeline__Meetings__ReminderLead"] = lead.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture),
            ["Forgeline__Meetings__Zoom__ConcurrentMeetings"] = "20",
        });
        var server = meetings.Server;
        using (var admin = server.Client())
        {
            for (var i = 0; i < Meetings; i++)
            {
                await admin.CreateGroupAsync(new CreateGroupRequest($"sig-{i}"));
                await admin.BookMeetingAsync(new MeetingBookingRequest($"sig-{i}", $"Meeting {i}", start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), "UTC", 30,
                    "zoom", i % 2 == 0 ? "weekly" : "none", i % 2 == 0 ? 3 : null));
            }
        }

        // Kill -9 at random moments from before the reminders come due until well after.
        var random = new Random(18);
        var kills = 0;
        while (DateTimeOffset.UtcNow < due + TimeSpan.FromSeconds(12))
        {
            await Task.Delay(random.Next(300, 3000));
            await server.Process.KillAsync();
            kills++;
            await server.StartProcessAsync();
        }

        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(40);
        List<MimeMessage> messages;
        do
        {
            await Task.Delay(500);
            messages = [.. await meetings.Smtp.MessagesAsync()];
        }
        while (messages.Count(m => m.Subject!.StartsWith("Reminder:", StringComparison.Ordinal)) < Meetings && DateTimeOffset.UtcNow < deadline);

        await Task.Delay(6000); // one more coordinator interval: anything sent twice would be here now
        messages = [.. await meetings.Smtp.MessagesAsync()];
        kills.ShouldBeGreaterThanOrEqualTo(3);
        var reminders = messages.Where(m => m.Subject!.StartsWith("Reminder:", StringComparison.Ordinal)).Select(m => m.MessageId).ToList();
        var invitations = messages.Where(m => m.Subject!.StartsWith("Invitation:", StringComparison.Ordinal)).Select(m => m.MessageId).ToList();
        reminders.Count.ShouldBe(Meetings, $"reminders: {string.Join(", ", reminders)}\n{server.Process.Output}");
        reminders.Distinct().Count().ShouldBe(Meetings);
        reminders.ShouldAllBe(id => id != null && id.Contains(".reminder0@", StringComparison.Ordinal));
        invitations.Count.ShouldBe(Meetings);
        invitations.Distinct().Count().ShouldBe(Meetings);
    }
}
