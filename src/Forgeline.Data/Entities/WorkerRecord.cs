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

    /// <summary>Labels builds can ask for, sorted and comma-separated.</summary>
    public string Labels { get; set; } = "";

    /// <summary>Whether it can build in a target's clean root; builds for a target go only to workers that can.</summary>
    public bool BuildRoots { get; set; }

    /// <summary>Fingerprint of its build environment.</summary>
    public string? Environment { get; set; }

    /// <summary>What an admin decided: <c>enabled</c>, <c>draining</c> (no new builds) or <c>disabled</c> (none at all).</summary>
    public string Admin { get; set; } = WorkerAdmin.Enabled;
}

/// <summary>The values of <see cref="WorkerRecord.Admin"/>.</summary>
public static class WorkerAdmin
{
    /// <summary>Takes builds.</summary>
    public const string Enabled = "enabled";

    /// <summary>Finishes what it runs and takes nothing new.</summary>
    public const string Draining = "draining";

    /// <summary>Takes nothing; what it ran was handed back to the queue.</summary>
    public const string Disabled = "disabled";
}
