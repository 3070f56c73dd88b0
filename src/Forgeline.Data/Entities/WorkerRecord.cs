namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>workers</c> table: a build agent that has asked for work.</summary>
public sealed class WorkerRecord
{
    /// <summary>Unique worker name.</summary>
    public required string Name { get; set; }

    /// <summary>Architecture it builds for.</summary>
    public required string Arch { get; set; }

    /// <summary>How many builds it runs at once.</summary>
    public int Slots { get; set; }

    /// <summary>First contact (UTC).</summary>
    public DateTime RegisteredAt { get; set; }

    /// <summary>Last contact (UTC); a worker unseen for a while counts as offline.</summary>
    public DateTime LastSeenAt { get; set; }

    /// <summary>Identifies the worker's current process; a new value means it restarted.</summary>
    public string? Session { get; set; }
}
