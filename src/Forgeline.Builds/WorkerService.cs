using Forgeline.Builds.Queue;
using Forgeline.Core;
using Forgeline.Data.Entities;
using Forgeline.Core.Builds;
using Forgeline.Core.Workers;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forgeline.Builds;

/// <summary>The workers the farm knows, with their state derived from when they were last seen, what they run and what an admin decided.</summary>
public sealed class WorkerService(ForgelineDbContext db, LeaseRecovery recovery, IOptions<BuildsOptions> options, TimeProvider time)
{
    // Finished builds shown per worker.
    private const int Recent = 5;

    /// <summary>Workers, busy and online first.</summary>
    public async Task<List<WorkerDto>> ListAsync(CancellationToken cancellationToken)
    {
        var workers = await db.Workers.AsNoTracking().ToListAsync(cancellationToken);
        var running = await db.Builds.AsNoTracking().Where(b => b.State == BuildState.Running)
            .Select(b => new { b.Id, b.WorkerName }).ToListAsync(cancellationToken);
        var offlineBefore = time.GetUtcNow().UtcDateTime.AddSeconds(-options.Value.WorkerOfflineAfterSeconds);
        var result = new List<WorkerDto>();
        foreach (var w in workers)
        {
            var current = running.Where(r => r.WorkerName == w.Name).Select(r => r.Id).Order().ToList();
            var state = (w.Admin, Offline: w.LastSeenAt < offlineBefore, Busy: current.Count > 0) switch
            {
                (WorkerAdmin.Disabled, _, _) => "disabled",
                (WorkerAdmin.Draining, _, true) => "draining",
                (WorkerAdmin.Draining, _, false) => "drained",
                (_, true, _) => "offline",
                (_, _, true) => "busy",
                _ => "idle",
            };
            var recent = await db.Builds.AsNoTracking()
                .Where(b => b.WorkerName == w.Name && (b.State == BuildState.Succeeded || b.State == BuildState.Failed || b.State == BuildState.Canceled))
                .OrderByDescending(b => b.FinishedAt).Take(Recent)
                .Select(b => new { b.Id, b.State, b.Package, b.FinishedAt }).ToListAsync(cancellationToken);
            result.Add(new WorkerDto(
                w.Name, state, w.Arch, w.Slots, new DateTimeOffset(w.LastSeenAt), current, StoredLabels.Split(w.Labels), w.Environment,
                recent.Select(b => new WorkerBuildDto(b.Id, b.State.ToApiName(), b.Package, b.FinishedAt is { } f ? new DateTimeOffset(f) : null)).ToList(), w.BuildRoots));
        }

        return result
            .OrderBy(w => w.State switch { "busy" => 0, "draining" => 1, "idle" => 2, _ => 3 }).ThenBy(w => w.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Drains (finish what runs, take nothing new), disables (hand what runs back to the queue now, take nothing) or
    /// enables a worker.
    /// </summary>
    public async Task<ServiceResult<WorkerDto>> ApplyAsync(string name, string action, string who, CancellationToken cancellationToken)
    {
        var admin = action switch
        {
            "drain" => WorkerAdmin.Draining,
            "disable" => WorkerAdmin.Disabled,
            "enable" => WorkerAdmin.Enabled,
            _ => null,
        };
        if (admin is null)
        {
            return ServiceResult<WorkerDto>.Fail(ServiceError.Invalid, $"unknown action '{action}'; use drain, disable or enable");
        }

        if (await db.Workers.Where(w => w.Name == name).ExecuteUpdateAsync(s => s.SetProperty(w => w.Admin, admin), cancellationToken) == 0)
        {
            return ServiceResult<WorkerDto>.Fail(ServiceError.NotFound, $"there is no worker '{name}'; 'forgeline workers' lists them");
        }

        if (admin == WorkerAdmin.Disabled)
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var build in await recovery.FindAsync(b => b.WorkerName == name, cancellationToken))
            {
                // The worker learns at its next heartbeat that the lease is gone and stops the build.
                await recovery.TakeBackAsync(build, $"worker {name} was disabled by {who}", LeaseRecovery.Mode.HandBack, now, cancellationToken);
            }
        }

        return (await ListAsync(cancellationToken)).First(w => w.Name == name);
    }

    /// <summary>How many workers were seen recently.</summary>
    public async Task<int> CountOnlineAsync(CancellationToken cancellationToken)
    {
        var offlineBefore = time.GetUtcNow().UtcDateTime.AddSeconds(-options.Value.WorkerOfflineAfterSeconds);
        return await db.Workers.CountAsync(w => w.LastSeenAt >= offlineBefore, cancellationToken);
    }
}
