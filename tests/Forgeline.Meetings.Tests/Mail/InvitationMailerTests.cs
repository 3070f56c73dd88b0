using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Forgeline.Meetings.Mail;
using Forgeline.Testing;
using Forgeline.Testing.Mail;
using MimeKit;
using Xunit.Abstractions;

namespace Forgeline.Meetings.Tests.Mail;

/// <summary>
/// Invitations, updates and cancellations mailed with MailKit to a real SMTP server (Debian's aiosmtpd, delivering to a
/// Maildir). The delivered file is read twice: by MimeKit for the message's shape, and by Python's own email package with
/// python3-icalendar for the iCalendar in both the text/calendar part and the invite.ics attachment.
/// </summary>
public sealed class InvitationMailerTests(ITestOutputHelper output)
{
    private const string Reader = """
        import sys, json, email, icalendar, pytz, datetime as dt
        from email import policy
        msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
        parts = []
        for part in msg.walk():
            if part.get_content_type() not in ('text/calendar', 'application/ics'):
                continue
            cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            ev = next(iter(cal.walk('VEVENT')))
            zones = {}
            for tz in cal.walk('VTIMEZONE'):
                mine, ref = tz.to_tz(), pytz.timezone(str(tz['TZID']))
                days = [dt.datetime(2027, m, d, 12) for m, d in ((1, 12), (3, 27), (3, 29), (7, 1), (10, 30), (11, 1))]
                zones[str(tz['TZID'])] = all(mine.localize(d).utcoffset() == ref.localize(d).utcoffset() for d in days)
            parts.append({'type': part.get_content_type(), 'methodParam': part.get_param('method'), 'charset': part.get_content_charset(),
                          'filename': part.get_filename(), 'method': str(cal.get('METHOD')), 'sequence': int(ev.get('SEQUENCE', 0)),
                          'status': str(ev.get('STATUS')), 'uid': str(ev['UID']), 'summary': str(ev['SUMMARY']),
                          'start': ev.decoded('DTSTART').astimezone(dt.timezone.utc).strftime('%Y-%m-%dT%H:%MZ'), 'zones': zones})
        print(json.dumps({'subject': str(msg['subject']), 'parts': parts}))
        """;

    private const string List = "sig-release@lists.forgeline.example";

    private static readonly MeetingEvent Weekly = new(
        "meeting-42@forgeline.example", "sig-release weekly — Grüße", "Agenda: https://etherpad.example/p/release",
        "https://zoom.example/j/42", new DateTime(2027, 3, 16, 14, 0, 0), "Europe/Berlin", TimeSpan.FromHours(1), MeetingRecurrence.Weekly, 4);

    [Fact]
    public async Task An_invitation_arrives_with_its_words_its_calendar_part_and_the_same_calendar_attached()
    {
        await using var sink = await SmtpSink.StartAsync();

        var id = await Mailer(sink).SendAsync(Weekly, List);

        var file = await sink.WaitForFileAsync(id);
        var message = await MimeMessage.LoadAsync(file);
        message.MessageId.ShouldBe("meeting-42.seq0@forgeline.example");
        message.Subject.ShouldBe("Invitation: sig-release weekly — Grüße");
        message.To.Mailboxes.Single().Address.ShouldBe(List);
        message.From.Mailboxes.Single().Address.ShouldBe("meetings@forgeline.example");
        var mixed = message.Body.ShouldBeOfType<Multipart>();
        mixed.ContentType.MimeType.ShouldBe("multipart/mixed");
        var alternative = mixed[0].ShouldBeOfType<MultipartAlternative>();
        var words = alternative[0].ShouldBeOfType<TextPart>();
        words.ContentType.MimeType.ShouldBe("text/plain");
        words.Text.ShouldContain("sig-release weekly — Grüße");
        words.Text.ShouldContain("14:00–15:00 Europe/Berlin (UTC+01:00)");
        words.Text.ShouldContain("2027-03-16 13:00–14:00 UTC");
        words.Text.ShouldContain("Join:   https://zoom.example/j/42");
        words.Text.ShouldContain("Agenda: https://etherpad.example/p/release");
        var calendar = alternative[1].ShouldBeOfType<TextPart>();
        calendar.ContentType.MimeType.ShouldBe("text/calendar");
        calendar.ContentType.Parameters["method"].ShouldBe("REQUEST");
        calendar.ContentType.Charset.ShouldBe("utf-8");
        var attachment = mixed[1].ShouldBeOfType<MimePart>();
        attachment.IsAttachment.ShouldBeTrue();
        attachment.FileName.ShouldBe("invite.ics");

        var read = await ReadAsync(file);
        read.GetProperty("subject").GetString().ShouldBe("Invitation: sig-release weekly — Grüße");
        var parts = read.GetProperty("parts").EnumerateArray().ToList();
        parts.Select(p => p.GetProperty("type").GetString()).ShouldBe(["text/calendar", "application/ics"]);
        parts[0].GetProperty("methodParam").GetString().ShouldBe("REQUEST");
        parts[0].GetProperty("charset").GetString().ShouldBe("utf-8");
        parts[1].GetProperty("filename").GetString().ShouldBe("invite.ics");
        foreach (var part in parts)
        {
            part.GetProperty("method").GetString().ShouldBe("REQUEST");
            part.GetProperty("uid").GetString().ShouldBe(Weekly.Uid);
            part.GetProperty("summary").GetString().ShouldBe(Weekly.Title);
            part.GetProperty("sequence").GetInt32().ShouldBe(0);
            part.GetProperty("start").GetString().ShouldBe("2027-03-16T13:00Z");
            part.GetProperty("zones").GetProperty("Europe/Berlin").GetBoolean().ShouldBeTrue("the VTIMEZONE's rules give tzdata's offsets");
        }
    }

    [Fact]
    public async Task An_update_and_a_cancellation_carry_their_sequence_subject_and_method()
    {
        await using var sink = await SmtpSink.StartAsync();
        var mailer = Mailer(sink);

        var moved = Weekly with { LocalStart = new DateTime(2027, 3, 16, 15, 0, 0), Sequence = 1 };
        var updated = await ReadAsync(await sink.WaitForFileAsync(await mailer.SendAsync(moved, List)));
        var cancelled = await ReadAsync(await sink.WaitForFileAsync(await mailer.SendAsync(moved with { Sequence = 2, Cancelled = true }, List)));

        updated.GetProperty("subject").GetString().ShouldBe("Updated: sig-release weekly — Grüße");
        foreach (var part in updated.GetProperty("parts").EnumerateArray())
        {
            part.GetProperty("method").GetString().ShouldBe("REQUEST");
            part.GetProperty("sequence").GetInt32().ShouldBe(1);
            part.GetProperty("start").GetString().ShouldBe("2027-03-16T14:00Z");
        }

        cancelled.GetProperty("subject").GetString().ShouldBe("Cancelled: sig-release weekly — Grüße");
        cancelled.GetProperty("parts")[0].GetProperty("methodParam").GetString().ShouldBe("CANCEL");
        foreach (var part in cancelled.GetProperty("parts").EnumerateArray())
        {
            part.GetProperty("method").GetString().ShouldBe("CANCEL");
            part.GetProperty("status").GetString().ShouldBe("CANCELLED");
            part.GetProperty("sequence").GetInt32().ShouldBe(2);
        }

        (await sink.MessagesAsync()).Select(m => m.MessageId).ShouldBe(["meeting-42.seq1@forgeline.example", "meeting-42.seq2@forgeline.example"]);
    }

    [Fact]
    public async Task A_retried_send_carries_the_same_message_id()
    {
        await using var sink = await SmtpSink.StartAsync();
        var mailer = Mailer(sink);

        var first = await mailer.SendAsync(Weekly, List);
        var again = await mailer.SendAsync(Weekly, List);

        again.ShouldBe(first);
        (await sink.MessagesAsync()).Select(m => m.MessageId).Distinct().ShouldBe([first]);
    }

    [Fact]
    public async Task A_refused_connection_fails_quickly_as_retryable_without_the_password()
    {
        var port = UnusedPort();
        var options = Options("127.0.0.1", port);
        options.Username = "meetings";
        options.Password = "hunter2-secret";
        var clock = Stopwatch.StartNew();

        var failure = await Should.ThrowAsync<MailDeliveryException>(() => new InvitationMailer(options, TimeProvider.System).SendAsync(Weekly, List));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        failure.Retryable.ShouldBeTrue();
        failure.Message.ShouldContain($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        failure.Message.ShouldNotContain("hunter2");
        output.WriteLine($"{failure.Message} ({clock.Elapsed.TotalMilliseconds:F0} ms)");
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_after_the_timeout_as_retryable()
    {
        // The kernel completes the connection; nobody ever reads it or sends the greeting.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var options = Options("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port);
        options.Timeout = TimeSpan.FromMilliseconds(500);
        var clock = Stopwatch.StartNew();

        var failure = await Should.ThrowAsync<MailDeliveryException>(() => new InvitationMailer(options, TimeProvider.System).SendAsync(Weekly, List));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));
        failure.Retryable.ShouldBeTrue();
        failure.Message.ShouldContain("did not answer within 0.5 s");
        output.WriteLine($"{failure.Message} ({clock.Elapsed.TotalMilliseconds:F0} ms)");
    }

    [Fact]
    public async Task A_message_the_server_refuses_with_a_5xx_is_not_retryable()
    {
        await using var sink = await SmtpSink.StartAsync(maxMessageBytes: 1000);

        var failure = await Should.ThrowAsync<MailDeliveryException>(() => Mailer(sink).SendAsync(Weekly, List));

        failure.Retryable.ShouldBeFalse();
        failure.Message.ShouldContain("552");
        output.WriteLine(failure.Message);
    }

    [Fact]
    public async Task Time_from_send_to_the_message_file_in_the_maildir()
    {
        await using var sink = await SmtpSink.StartAsync();
        var mailer = Mailer(sink);
        var times = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var meeting = Weekly with { Uid = $"meeting-time-{i}@forgeline.example" };
            var clock = Stopwatch.StartNew();
            var send = mailer.SendAsync(meeting, List);
            await sink.WaitForFileAsync(InvitationMailer.MessageId(meeting));
            times.Add(clock.Elapsed.TotalMilliseconds);
            await send;
        }

        output.WriteLine($"send → file in the Maildir: first {times[0]:F1} ms (cold), then {string.Join(", ", times.Skip(1).Select(t => t.ToString("F1", CultureInfo.InvariantCulture)))} ms");
        times.Max().ShouldBeLessThan(1000, "the issue's goal: Book → mailbox in under a second");
    }

    private static MailOptions Options(string host, int port) => new()
    {
        Host = host,
        Port = port,
        Security = MailSecurity.None,
        FromAddress = "meetings@forgeline.example",
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static InvitationMailer Mailer(SmtpSink sink) => new(Options(sink.Host, sink.Port), TimeProvider.System);

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<JsonElement> ReadAsync(string messageFile)
    {
        using var directory = new TempDirectory("fl-mail");
        await File.WriteAllTextAsync(directory["read.py"], Reader);
        // Debian's python3 (the one with python3-icalendar), not whatever python3 comes first on PATH.
        var read = await ProcessRunner.RunAsync("/usr/bin/python3", [directory["read.py"], messageFile]);
        read.ExitCode.ShouldBe(0, read.Stderr);
        return JsonDocument.Parse(read.Stdout).RootElement.Clone();
    }
}
