namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>project_batches</c> table: packages of a project built together in dependency order.</summary>
public sealed class BatchRecord
{
    /// <summary>Row id, shown to users.</summary>
    public long Id { get; set; }

    /// <summary>The project.</summary>
    public long ProjectId { get; set; }

    /// <summary>Who asked (a principal, or <c>webhook</c>).</summary>
    public required string RequestedBy { get; set; }

    /// <summary>Why, for people.</summary>
    public required string Reason { get; set; }

    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When its last entry ended; null while running.</summary>
    public DateTime? FinishedAt { get; set; }

    /// <summary>Cycles and other remarks, one per line.</summary>
    public string? Problems { get; set; }

    /// <summary>Its entries.</summary>
    public List<BatchEntryRecord> Entries { get; set; } = [];
}
