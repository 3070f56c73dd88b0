namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>users</c> table: a person, made at their first sign-in or by an admin.</summary>
public sealed class UserRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>Unique name (a <c>ResourceName</c>), shared with group names: builds, projects and members refer to it.</summary>
    public required string Name { get; set; }

    /// <summary>Name for people, from the provider's <c>name</c> claim.</summary>
    public string? DisplayName { get; set; }

    /// <summary>E-mail address from the provider.</summary>
    public string? Email { get; set; }

    /// <summary>When the record was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Last sign-in through a provider (UTC).</summary>
    public DateTime? LastSignInAt { get; set; }

    /// <summary>When an admin disabled the user: sessions and personal tokens are refused from then on.</summary>
    public DateTime? DisabledAt { get; set; }
}
