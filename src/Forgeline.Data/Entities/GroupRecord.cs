namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>groups</c> table: a SIG or team. Its name shares one namespace with user names.</summary>
public sealed class GroupRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>Unique name (a <c>ResourceName</c>).</summary>
    public required string Name { get; set; }

    /// <summary>What the group is for.</summary>
    public string? Description { get; set; }

    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
