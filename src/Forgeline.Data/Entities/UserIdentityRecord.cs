namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>user_identities</c> table: which provider account signs in as which user.</summary>
public sealed class UserIdentityRecord
{
    /// <summary>The provider's name in the settings (<c>Forgeline:Accounts:Providers:NAME</c>).</summary>
    public required string Provider { get; set; }

    /// <summary>The provider's stable id of the account (the ID token's <c>sub</c>).</summary>
    public required string Subject { get; set; }

    /// <summary>The user it signs in as.</summary>
    public long UserId { get; set; }

    /// <summary>When it was first used (UTC).</summary>
    public DateTime LinkedAt { get; set; }
}
