namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>group_members</c> table.</summary>
public sealed class GroupMemberRecord
{
    /// <summary>The group.</summary>
    public long GroupId { get; set; }

    /// <summary>The member.</summary>
    public long UserId { get; set; }

    /// <summary>
    /// Where the membership comes from: <c>local</c> (an admin added it) or a provider's name (its groups claim; kept in
    /// step with the claim at each sign-in through that provider).
    /// </summary>
    public required string Source { get; set; }
}
