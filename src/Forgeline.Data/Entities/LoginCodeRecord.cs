namespace Forgeline.Data.Entities;

/// <summary>
/// A row of the <c>login_codes</c> table: a one-time code that <c>forgeline login</c> exchanges, with its PKCE verifier, for
/// a personal token after the user approved it in the browser. Only the code's sha256 is stored.
/// </summary>
public sealed class LoginCodeRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>Lower-case hex sha256 of the code.</summary>
    public required string Hash { get; set; }

    /// <summary>Who approved it.</summary>
    public long UserId { get; set; }

    /// <summary>The CLI's PKCE challenge (base64url sha256 of its verifier).</summary>
    public required string Challenge { get; set; }

    /// <summary>Name of the token to make, e.g. <c>cli-laptop</c>.</summary>
    public required string TokenName { get; set; }

    /// <summary>After this (UTC) the code is refused.</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>When it was exchanged; a code works once.</summary>
    public DateTime? UsedAt { get; set; }
}
