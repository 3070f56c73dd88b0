using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.MessageCenter;

/// <summary>A person's notifications: the newest events about what they or their groups own (their builds, projects, signatures).</summary>
public sealed class Notifications(ForgelineDbContext db)
{
    /// <summary>The newest <paramref name="limit"/> events owned by one of <paramref name="viewer"/>'s names, newest first.</summary>
    public async Task<IReadOnlyList<OutboxEventRecord>> ForAsync(EventViewer viewer, int limit, CancellationToken cancellationToken)
    {
        var names = viewer.Names.ToList();
        return await db.Outbox.AsNoTracking().Where(e => e.Owner != null && names.Contains(e.Owner))
            .OrderByDescending(e => e.Id).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
    }
}
