namespace Forgeline.Data.Entities;

/// <summary>
/// A row of the <c>user_sessions</c> table: a browser sign-in. The cookie carries the secret; only its sha256 is stored, so
/// signing out (or an admin disabling the user) ends the session on the server, whatever the cookie says.
/// </summary>
public sealed class UserSessionRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>Lower-case hex sha256 of the session secret.</summary>
    public required string Hash { get; set; }

    /// <summary>Who signed in.</summary>
    public long UserId { get; set; }

    /// <summary>Through which provider.</summary>
    public required string Provider { get; set; }

    /// <summary>Sign-in time (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>After this (UTC) the session is refused.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>When the user signed out.</summary>
    public DateTime? RevokedAt { get; set; }
}
