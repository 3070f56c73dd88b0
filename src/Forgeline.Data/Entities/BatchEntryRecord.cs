using Forgeline.Core.Projects;

namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>project_batch_entries</c> table: one package of a batch for one chroot.</summary>
public sealed class BatchEntryRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The batch.</summary>
    public long BatchId { get; set; }

    /// <summary>The project (denormalised for the coordinator's queries).</summary>
    public long ProjectId { get; set; }

    /// <summary>The package.</summary>
    public long PackageId { get; set; }

    /// <summary>Its name, as it was when the batch was made.</summary>
    public required string Package { get; set; }

    /// <summary>The chroot.</summary>
    public required string Chroot { get; set; }

    /// <summary>Where it is.</summary>
    public BatchEntryState State { get; set; }

    /// <summary>Ids of the entries of this batch it waits for, space-separated.</summary>
    public string WaitsFor { get; set; } = "";

    /// <summary>Ids of the project's packages whose RPMs its build needs installed (in this batch or published earlier), space-separated.</summary>
    public string Needs { get; set; } = "";

    /// <summary>Requirements nothing provided yet (the project waits for them), space-separated.</summary>
    public string? MissingRequirements { get; set; }

    /// <summary>Depth in the dependency graph.</summary>
    public int Level { get; set; }

    /// <summary>Its build, once submitted (the farm's; read through its public service, never joined).</summary>
    public long? BuildId { get; set; }

    /// <summary>Why it failed, is blocked or waits.</summary>
    public string? Reason { get; set; }

    /// <summary>When it last changed (UTC).</summary>
    public DateTime UpdatedAt { get; set; }

    /// <summary>The ids it waits for, as numbers.</summary>
    public IEnumerable<long> WaitsForIds => Ids(WaitsFor);

    /// <summary>The package ids it needs, as numbers.</summary>
    public IEnumerable<long> NeedsIds => Ids(Needs);

    private static IEnumerable<long> Ids(string list) => list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse);
}
