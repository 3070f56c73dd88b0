using Forgeline.Builds;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forgeline.Web.Features.Workers;

/// <summary>The workers the farm knows, with their state derived from when they were last seen and what they run.</summary>
public sealed class WorkerDirectory(ForgelineDbContext db, IOptions<BuildsOptions> options, TimeProvider time)
{
    /// <summary>Workers, busy and online first.</summary>
    public async Task<List<WorkerDto>> ListAsync(CancellationToken cancellationToken)
    {
        var workers = await db.Workers.AsNoTracking().ToListAsync(cancellationToken);
        var running = await db.Builds.AsNoTracking().Where(b => b.State == BuildState.Running)
            .Select(b => new { b.Id, b.WorkerName }).ToListAsync(cancellationToken);
        var offlineBefore = time.GetUtcNow().UtcDateTime.AddSeconds(-options.Value.WorkerOfflineAfterSeconds);
        return workers.Select(w =>
            {
                var current = running.Where(r => r.WorkerName == w.Name).Select(r => r.Id).Order().ToList();
                var state = w.LastSeenAt < offlineBefore ? "offline" : current.Count > 0 ? "busy" : "idle";
                return new WorkerDto(w.Name, state, w.Arch, w.Slots, new DateTimeOffset(w.LastSeenAt), current);
            })
            .OrderBy(w => w.State switch { "busy" => 0, "idle" => 1, _ => 2 }).ThenBy(w => w.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>How many workers were seen recently.</summary>
    public async Task<int> CountOnlineAsync(CancellationToken cancellationToken)
    {
        var offlineBefore = time.GetUtcNow().UtcDateTime.AddSeconds(-options.Value.WorkerOfflineAfterSeconds);
        return await db.Workers.CountAsync(w => w.LastSeenAt >= offlineBefore, cancellationToken);
    }
}
