using System.ComponentModel.DataAnnotations;

namespace Forgeline.Meetings.Server;

/// <summary>
/// The meetings part (<c>Forgeline:Meetings</c>). Platforms are configured in their own sections
/// (<c>Forgeline:Meetings:Zoom</c> …), the mail server in <c>Forgeline:Meetings:Mail</c>.
/// </summary>
public sealed class MeetingsOptions
{
    /// <summary>The section.</summary>
    public const string Section = "Forgeline:Meetings";

    /// <summary>A SIG's mailing list; <c>{sig}</c> is replaced by the SIG's name.</summary>
    [Required]
    public string MailingList { get; set; } = "{sig}@lists.forgeline.invalid";

    /// <summary>How long before each occurrence its reminder goes to the list; zero: no reminders.</summary>
    public TimeSpan ReminderLead { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many meetings one platform account may hold at once, unless its section says (<c>ConcurrentMeetings</c>).</summary>
    [Range(1, 1000)]
    public int ConcurrentMeetings { get; set; } = 2;

    /// <summary>How many times a mail or recording is tried before it is given up.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The largest recording downloaded, in bytes.</summary>
    public long MaxRecordingBytes { get; set; } = 8L << 30;

    /// <summary>The server's address as people reach it (links in mails), e.g. <c>https://forgeline.example.org</c>.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>The address for a SIG's list.</summary>
    public string ListOf(string sig) => MailingList.Replace("{sig}", sig, StringComparison.Ordinal);
}
