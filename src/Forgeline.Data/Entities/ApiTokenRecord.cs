namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>api_tokens</c> table. Only the sha256 of the secret is stored.</summary>
public sealed class ApiTokenRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>Unique name, shown as the owner of what the token does.</summary>
    public required string Name { get; set; }

    /// <summary>Who the token acts for in the queue (a user or a project's group); the token's name when null.</summary>
    public string? Owner { get; set; }

    /// <summary>The user a personal token acts for (with at most that user's rights); null for service tokens an admin made.</summary>
    public long? UserId { get; set; }

    /// <summary>Lower-case hex sha256 of the token secret.</summary>
    public required string Hash { get; set; }

    /// <summary>Space-separated scopes, e.g. <c>build worker</c>.</summary>
    public required string Scopes { get; set; }

    /// <summary>Creation time (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Last successful use (UTC), updated at most once a minute.</summary>
    public DateTime? LastUsedAt { get; set; }

    /// <summary>When it was revoked; a revoked token is refused.</summary>
    public DateTime? RevokedAt { get; set; }
}
