namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>project_members</c> table.</summary>
public sealed class ProjectMemberRecord
{
    /// <summary>The project.</summary>
    public long ProjectId { get; set; }

    /// <summary>A token's owner, or a token's name.</summary>
    public required string Principal { get; set; }

    /// <summary><c>admin</c> or <c>builder</c>.</summary>
    public required string Role { get; set; }
}
