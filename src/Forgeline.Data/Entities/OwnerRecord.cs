namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>owners</c> table: an owner's share of the farm, set by an admin. Owners without a row weigh 1.</summary>
public sealed class OwnerRecord
{
    /// <summary>The owner (a token's owner or name).</summary>
    public required string Name { get; set; }

    /// <summary>Relative share of the worker slots when several owners wait: an owner of weight 2 gets twice the slots of one of weight 1.</summary>
    public int Weight { get; set; } = 1;
}
