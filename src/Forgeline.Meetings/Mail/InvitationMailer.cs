using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Forgeline.Meetings.Mail;

/// <summary>
/// Mails a meeting's invitation, update or cancellation to a list address with MailKit. The message is
/// <c>multipart/mixed</c>: a <c>multipart/alternative</c> of the meeting in words (<c>text/plain</c>) and its
/// iCalendar (<c>text/calendar; method=REQUEST|CANCEL; charset=utf-8</c>, which Outlook and Gmail act on), then the
/// same iCalendar as an <c>invite.ics</c> attachment for clients that only offer attachments. Its Message-Id comes
/// from the meeting's UID and sequence, so a send retried after an unclear failure is recognisable as the same message.
/// </summary>
public sealed partial class InvitationMailer(MailOptions options, TimeProvider time)
{
    /// <summary>The message for <paramref name="meeting"/> to <paramref name="list"/>, as <see cref="SendAsync"/> sends it.</summary>
    public MimeMessage Compose(MeetingEvent meeting, string list)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentException.ThrowIfNullOrWhiteSpace(list);
        var now = time.GetUtcNow();
        var ics = MeetingCalendar.Invitation(meeting, options.FromAddress, list, now);
        var method = meeting.Cancelled ? "CANCEL" : "REQUEST";

        var calendar = new TextPart("calendar");
        calendar.SetText(Encoding.UTF8, ics);
        calendar.ContentType.Parameters.Add("method", method);
        var attachment = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(ics))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "invite.ics",
        };
        var words = new TextPart("plain");
        words.SetText(Encoding.UTF8, Words(meeting));

        var message = new MimeMessage
        {
            Subject = Subject(meeting),
            Date = now,
            MessageId = MessageId(meeting),
            Body = new Multipart("mixed") { new MultipartAlternative { words, calendar }, attachment },
        };
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        message.To.Add(MailboxAddress.Parse(list));
        return message;
    }

    /// <summary>
    /// Sends <paramref name="meeting"/>'s invitation, update or cancellation to <paramref name="list"/> and returns its
    /// Message-Id; throws <see cref="MailDeliveryException"/> when the server did not take it.
    /// </summary>
    public Task<string> SendAsync(MeetingEvent meeting, string list, CancellationToken cancellationToken = default) =>
        SendAsync(Compose(meeting, list), cancellationToken);

    /// <summary>
    /// The reminder of occurrence <paramref name="occurrence"/> (0-based) of <paramref name="meeting"/>, starting at
    /// <paramref name="start"/>, to <paramref name="list"/>: the meeting in words, no calendar part (the invitation
    /// has it); its Message-Id names the occurrence (<c>meeting-42.reminder3@…</c>).
    /// </summary>
    public MimeMessage ComposeReminder(MeetingEvent meeting, int occurrence, DateTimeOffset start, string list)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        ArgumentException.ThrowIfNullOrWhiteSpace(list);
        var zone = MeetingTimes.Zone(meeting.TimeZone) ?? throw new ArgumentException($"'{meeting.TimeZone}' is not a time zone", nameof(meeting));
        var local = TimeZoneInfo.ConvertTime(start, zone);
        var when = local.ToString("dddd d MMMM, HH:mm", CultureInfo.InvariantCulture);
        var words = new TextPart("plain");
        words.SetText(Encoding.UTF8, $"Reminder: this meeting takes place {when} {meeting.TimeZone} ({start.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC).\n\n{Words(meeting)}");
        var message = new MimeMessage
        {
            Subject = $"Reminder: {meeting.Title}, {when} {meeting.TimeZone}",
            Date = time.GetUtcNow(),
            MessageId = MessageId(meeting, string.Create(CultureInfo.InvariantCulture, $"reminder{occurrence}")),
            Body = words,
        };
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        message.To.Add(MailboxAddress.Parse(list));
        return message;
    }

    /// <summary>Sends <paramref name="message"/> and returns its Message-Id; throws <see cref="MailDeliveryException"/> when the server did not take it.</summary>
    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        using var client = new SmtpClient { Timeout = (int)Math.Clamp(options.Timeout.TotalMilliseconds, 1, int.MaxValue) };
        try
        {
            await client.ConnectAsync(options.Host, options.Port, Socket(options.Security), deadline.Token);
            if (options.Username is { Length: > 0 } user)
            {
                await client.AuthenticateAsync(user, options.Password ?? "", deadline.Token);
            }

            await client.SendAsync(message, deadline.Token);
        }
        catch (Exception e) when (Failure(e, cancellationToken) is { } failure)
        {
            throw failure;
        }

        try
        {
            // The server has the message once it answered the data; a failed QUIT changes nothing about that.
            await client.DisconnectAsync(quit: true, deadline.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
        }

        return message.MessageId ?? "";
    }

    /// <summary>"Invitation: …", "Updated: …" (a sequence above 0) or "Cancelled: …".</summary>
    public static string Subject(MeetingEvent meeting)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var prefix = meeting.Cancelled ? "Cancelled" : meeting.Sequence > 0 ? "Updated" : "Invitation";
        return $"{prefix}: {meeting.Title}";
    }

    /// <summary>
    /// The Message-Id (without angle brackets) of <paramref name="meeting"/>'s message at its sequence: the UID's own
    /// local part and domain when they are plain, e.g. <c>meeting-42.seq1@forgeline.example</c>, otherwise a digest of it.
    /// </summary>
    public static string MessageId(MeetingEvent meeting)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        return MessageId(meeting, string.Create(CultureInfo.InvariantCulture, $"seq{meeting.Sequence}"));
    }

    private static string MessageId(MeetingEvent meeting, string seq)
    {
        if (PlainUid().Match(meeting.Uid) is { Success: true } plain)
        {
            return $"{plain.Groups[1].Value}.{seq}@{plain.Groups[2].Value}";
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(meeting.Uid)))[..32];
        return $"meeting-{digest}.{seq}@forgeline.invalid";
    }

    /// <summary>The meeting in words: title, local time with its zone and in UTC, repetition, join link and the description (agenda).</summary>
    public static string Words(MeetingEvent meeting)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        var zone = MeetingTimes.Zone(meeting.TimeZone) ?? throw new ArgumentException($"'{meeting.TimeZone}' is not a time zone", nameof(meeting));
        var start = MeetingTimes.Instant(meeting.LocalStart, zone);
        var end = start + meeting.Duration;
        var local = TimeZoneInfo.ConvertTime(end, zone);
        var text = new StringBuilder();
        if (meeting.Cancelled)
        {
            text.AppendLine("This meeting is cancelled.").AppendLine();
        }
        else if (meeting.Sequence > 0)
        {
            text.AppendLine("This meeting has changed; the details below replace the earlier ones.").AppendLine();
        }

        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(meeting.Title).AppendLine();
        text.Append(invariant, $"When:   {start.ToString("dddd d MMMM yyyy, HH:mm", invariant)}–{local.ToString("HH:mm", invariant)} {meeting.TimeZone} (UTC{start.ToString("zzz", invariant)})").AppendLine();
        text.Append(invariant, $"        {start.UtcDateTime.ToString("yyyy-MM-dd HH:mm", invariant)}–{end.UtcDateTime.ToString("HH:mm", invariant)} UTC").AppendLine();
        if (meeting.Recurrence != MeetingRecurrence.None)
        {
            var every = meeting.Recurrence switch
            {
                MeetingRecurrence.Weekly => "every week",
                MeetingRecurrence.Biweekly => "every other week",
                _ => "every month",
            };
            text.Append(invariant, $"Repeats: {every} at the same local time{(meeting.Occurrences is { } n ? $", {n} times" : "")}").AppendLine();
        }

        if (meeting.JoinUrl is { Length: > 0 } join)
        {
            text.Append(invariant, $"Join:   {join}").AppendLine();
        }

        if (meeting.Description.Length > 0)
        {
            text.AppendLine().AppendLine(meeting.Description);
        }

        return text.ToString();
    }

    private static SecureSocketOptions Socket(MailSecurity security) => security switch
    {
        MailSecurity.None => SecureSocketOptions.None,
        MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    // What went wrong, in words that name the server and the user but never the password; null: not ours to translate
    // (the caller cancelled).
    private MailDeliveryException? Failure(Exception e, CancellationToken cancellationToken)
    {
        var server = $"the mail server {options.Host}:{options.Port}";
        return e switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            OperationCanceledException or TimeoutException or IOException { InnerException: TimeoutException } =>
                new($"{server} did not answer within {options.Timeout.TotalSeconds:0.#} s; try again later", retryable: true, e),
            SocketException socket =>
                new($"could not connect to {server}: {socket.Message} ({socket.SocketErrorCode}); try again later", retryable: true, e),
            AuthenticationException =>
                new($"{server} did not accept user '{options.Username}': check the username and password settings", retryable: false, e),
            SslHandshakeException =>
                new($"TLS with {server} failed ({options.Security.ToString().ToLowerInvariant()}): check the port, the security setting and the server's certificate", retryable: false, e),
            SmtpCommandException command when (int)command.StatusCode >= 500 =>
                new($"{server} refused the message: {(int)command.StatusCode} {command.Message}", retryable: false, e),
            SmtpCommandException command =>
                new($"{server} deferred the message: {(int)command.StatusCode} {command.Message}; try again later", retryable: true, e),
            SmtpProtocolException or IOException or ServiceNotConnectedException =>
                new($"the connection to {server} broke: {e.Message}; try again later", retryable: true, e),
            NotSupportedException =>
                new($"{server} does not support what the settings ask for ({options.Security.ToString().ToLowerInvariant()}{(options.Username is null ? "" : ", authentication")}): {e.Message}", retryable: false, e),
            _ => null,
        };
    }

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9._-]{0,100})@([A-Za-z0-9][A-Za-z0-9.-]{0,200})$")]
    private static partial Regex PlainUid();
}
