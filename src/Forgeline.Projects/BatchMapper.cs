using Forgeline.Core.Projects;
using Forgeline.Data.Entities;

namespace Forgeline.Projects;

/// <summary>Batches as the API shows them.</summary>
public static class BatchMapper
{
    /// <summary>The batch with its entries, ordered by level, then package, then chroot.</summary>
    public static BatchDto ToDto(BatchRecord batch, string project, IEnumerable<BatchEntryRecord> entries)
    {
        var list = entries.OrderBy(e => e.Level).ThenBy(e => e.Package, StringComparer.Ordinal).ThenBy(e => e.Chroot, StringComparer.Ordinal).ToList();
        var names = list.ToDictionary(e => e.Id, e => e.Package);
        return new BatchDto(batch.Id, project, batch.FinishedAt is null ? "running" : "finished", batch.Reason, batch.RequestedBy,
            new DateTimeOffset(batch.CreatedAt), batch.FinishedAt is { } f ? new DateTimeOffset(f) : null,
            batch.Problems?.Split('\n') ?? [],
            list.Select(e => new BatchEntryDto(e.Id, e.Package, e.Chroot, e.State.ToApiName(), e.BuildId, e.Reason, e.Level,
                e.WaitsForIds.Select(id => names.GetValueOrDefault(id, $"#{id}")).Distinct().Order(StringComparer.Ordinal).ToList())).ToList());
    }
}
