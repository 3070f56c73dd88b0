namespace Forgeline.Data.Entities;

/// <summary>
/// A row of the <c>build_events</c> table: one step of a build's life, written in the same transaction as the state
/// change. A unique index allows one <see cref="BuildEventKinds.Finished"/> row per build, so a build can end only once.
/// </summary>
public sealed class BuildEventRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The build.</summary>
    public long BuildId { get; set; }

    /// <summary>When (UTC).</summary>
    public DateTime At { get; set; }

    /// <summary>One of <see cref="BuildEventKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The build's state after the step.</summary>
    public required string State { get; set; }

    /// <summary>The worker involved, if any.</summary>
    public string? Worker { get; set; }

    /// <summary>Why, for people.</summary>
    public string? Detail { get; set; }
}

/// <summary>The values of <see cref="BuildEventRecord.Kind"/>.</summary>
public static class BuildEventKinds
{
    /// <summary>Submitted.</summary>
    public const string Queued = "queued";

    /// <summary>Leased by a worker.</summary>
    public const string Started = "started";

    /// <summary>Back in the queue: its worker was lost, failed for reasons not the package's, or shut down.</summary>
    public const string Requeued = "requeued";

    /// <summary>Reached its final state.</summary>
    public const string Finished = "finished";
}
