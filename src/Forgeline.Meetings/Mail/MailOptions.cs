using System.ComponentModel.DataAnnotations;

namespace Forgeline.Meetings.Mail;

/// <summary>How the connection to the mail server is secured.</summary>
public enum MailSecurity
{
    /// <summary>Plain SMTP (a local relay on loopback, or the tests' server).</summary>
    None,

    /// <summary>Plain SMTP upgraded with <c>STARTTLS</c>, which the server must offer (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    Tls,
}

/// <summary>
/// The mail server meeting invitations go out through (<c>Forgeline:Meetings:Mail</c>). <see cref="Password"/> is the
/// value itself, resolved by the caller from <c>env:NAME</c> or <c>file:PATH</c>; it is never logged and never part of
/// an error message or of <see cref="ToString"/>.
/// </summary>
public sealed class MailOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Forgeline:Meetings:Mail";

    /// <summary>The SMTP server's host name or address.</summary>
    [Required]
    public string Host { get; set; } = "";

    /// <summary>Its port.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>How the connection is secured: <c>none</c>, <c>starttls</c> or <c>tls</c>.</summary>
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    /// <summary>The user to authenticate as; none: no authentication.</summary>
    public string? Username { get; set; }

    /// <summary>The password, already resolved (never <c>env:</c>/<c>file:</c> here); used only with <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>The sender's address (also the invitations' organizer).</summary>
    [Required]
    [EmailAddress]
    public string FromAddress { get; set; } = "";

    /// <summary>The sender's display name.</summary>
    public string FromName { get; set; } = "Forgeline meetings";

    /// <summary>The longest a whole send (connect, authenticate, send) may take before it fails as retryable.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The server, security and user, without the password.</summary>
    public override string ToString() =>
        $"{Host}:{Port} ({Security.ToString().ToLowerInvariant()}{(Username is null ? "" : $", as {Username}")})";
}
