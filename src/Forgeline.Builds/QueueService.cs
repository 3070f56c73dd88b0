using Forgeline.Builds.Scheduling;
using Forgeline.Core;
using Forgeline.Core.Accounts;
using Forgeline.Core.Builds;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Forgeline.Builds;

/// <summary>The queue for people: who waits, in which order, until when; and the owners' weights, which admins set.</summary>
public sealed class QueueService(ForgelineDbContext db, QueueBook book, IOptions<BuildsOptions> options, TimeProvider time, IPrincipalDirectory principals)
{
    // Builds whose durations make the estimate: recent enough to reflect today's load, many enough to smooth it.
    private const int HistoryForEstimate = 50;

    /// <summary>The queue in planned start order, filtered by owner and arch, with estimated start times.</summary>
    public async Task<QueueDto> GetAsync(string? owner, string? arch, int limit, CancellationToken cancellationToken)
    {
        await book.RefreshAsync(db, cancellationToken);
        var plan = book.Plan(b => (owner is null || b.Owner == owner) && (arch is null || b.Arch == arch), Math.Clamp(limit, 1, 10_000));

        var now = time.GetUtcNow();
        var onlineSince = now.UtcDateTime.AddSeconds(-options.Value.WorkerOfflineAfterSeconds);
        var slots = await db.Workers.AsNoTracking().Where(w => w.LastSeenAt >= onlineSince && w.Admin == WorkerAdmin.Enabled).SumAsync(w => w.Slots, cancellationToken);
        var running = await db.Builds.CountAsync(b => b.State == BuildState.Running, cancellationToken);
        var recent = await db.Builds.AsNoTracking()
            .Where(b => (b.State == BuildState.Succeeded || b.State == BuildState.Failed) && b.CachedFromId == null && b.StartedAt != null && b.FinishedAt != null)
            .OrderByDescending(b => b.Id).Take(HistoryForEstimate).Select(b => new { b.StartedAt, b.FinishedAt }).ToListAsync(cancellationToken);
        double? mean = recent.Count == 0 ? null : recent.Average(b => (b.FinishedAt!.Value - b.StartedAt!.Value).TotalSeconds);

        var items = plan.Items.Select(i => new QueuedBuildDto(
            i.Position, i.Build.Id, i.Build.Owner, i.Build.Priority, i.Build.Arch, StoredLabels.Split(i.Build.Labels),
            new DateTimeOffset(i.Build.SubmittedAt), Estimate(i.Position, i.Build.NotBefore), i.Build.NotBefore is { } nb ? new DateTimeOffset(nb) : null)).ToList();
        var owners = plan.Owners
            .Where(o => owner is null || o.Owner == owner)
            .OrderBy(o => o.NextPosition ?? int.MaxValue).ThenBy(o => o.Owner, StringComparer.Ordinal)
            .Select(o => new QueueOwnerDto(o.Owner, o.Weight, o.Running, o.Queued, o.NextPosition)).ToList();
        return new QueueDto(plan.Total, owners, items, slots, mean);

        // Slots free now start the first builds at once; after that a slot frees every mean/slots seconds.
        DateTimeOffset? Estimate(int position, DateTime? notBefore)
        {
            if (slots == 0 || mean is not { } seconds)
            {
                return null;
            }

            var free = Math.Max(0, slots - running);
            var start = position <= free ? now : now + TimeSpan.FromSeconds(Math.Ceiling((position - free) / (double)slots) * seconds);
            return notBefore is { } nb && nb > start.UtcDateTime ? new DateTimeOffset(nb) : start;
        }
    }

    /// <summary>Owners whose weight an admin set.</summary>
    public Task<List<OwnerDto>> ListOwnersAsync(CancellationToken cancellationToken) =>
        db.Owners.AsNoTracking().OrderBy(o => o.Name).Select(o => new OwnerDto(o.Name, o.Weight)).ToListAsync(cancellationToken);

    /// <summary>Sets an owner's share of the slots (1-1000; 1 is everyone's default).</summary>
    public async Task<ServiceResult<OwnerDto>> SetWeightAsync(string owner, int weight, CancellationToken cancellationToken)
    {
        if (!ResourceName.IsValid(owner))
        {
            return ServiceResult<OwnerDto>.Fail(ServiceError.Invalid, $"owner names are {ResourceName.Rule}");
        }

        if (weight is < 1 or > 1000)
        {
            return ServiceResult<OwnerDto>.Fail(ServiceError.Invalid, "weight must be between 1 and 1000 (1 is the default share)");
        }

        if (await principals.KindOfAsync(owner, cancellationToken) == PrincipalKind.Unknown)
        {
            return ServiceResult<OwnerDto>.Fail(ServiceError.Invalid, $"no user or group named '{owner}'; a queue owner is a user or a group ('forgeline group create {owner}')");
        }

        var updated = await db.Owners.Where(o => o.Name == owner).ExecuteUpdateAsync(s => s.SetProperty(o => o.Weight, weight), cancellationToken);
        if (updated == 0)
        {
            db.Owners.Add(new OwnerRecord { Name = owner, Weight = weight });
            await db.SaveChangesAsync(cancellationToken);
        }

        book.Weighted(owner, weight);
        return new OwnerDto(owner, weight);
    }
}
