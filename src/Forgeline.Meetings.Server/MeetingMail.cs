using Forgeline.Core;
using Forgeline.Meetings.Mail;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Forgeline.Meetings.Server;

/// <summary>
/// The mail server of <c>Forgeline:Meetings:Mail</c>, when one is configured: without one, meetings are booked
/// without mail (feeds and events still tell of them). The password may be <c>env:NAME</c> or <c>file:PATH</c>.
/// </summary>
public sealed partial class MeetingMail
{
    /// <summary>Reads the section from <paramref name="configuration"/>.</summary>
    public MeetingMail(IConfiguration configuration, TimeProvider time, ILogger<MeetingMail> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(MailOptions.Section);
        if (string.IsNullOrEmpty(section[nameof(MailOptions.Host)]))
        {
            return;
        }

        var options = section.Get<MailOptions>() ?? new MailOptions();
        if (options.Username is { Length: > 0 })
        {
            var (password, problem) = SecretValue.Resolve(options.Password, $"{MailOptions.Section}:Password");
            if (problem is not null)
            {
                Problem = problem;
                LogProblem(logger, problem);
                return;
            }

            options.Password = password;
        }

        if (string.IsNullOrEmpty(options.FromAddress))
        {
            Problem = $"{MailOptions.Section}:FromAddress is not set";
            LogProblem(logger, Problem);
            return;
        }

        Options = options;
        Mailer = new InvitationMailer(options, time);
    }

    /// <summary>The mailer; null: no mail is sent.</summary>
    public InvitationMailer? Mailer { get; }

    /// <summary>The settings (the password resolved; never shown).</summary>
    public MailOptions? Options { get; }

    /// <summary>Why mail is configured but unusable.</summary>
    public string? Problem { get; }

    /// <summary>The domain of meeting UIDs and Message-Ids: the sender's.</summary>
    public string UidDomain => Options?.FromAddress.Split('@') is [_, { Length: > 0 } domain] ? domain : "forgeline.invalid";

    [LoggerMessage(Level = LogLevel.Error, Message = "Meetings: mail is configured but unusable, no mail is sent: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);
}
