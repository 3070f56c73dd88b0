using System.Security.Cryptography;
using Forgeline.Core;
using Forgeline.Core.MessageCenter;
using Forgeline.Data;
using Forgeline.Data.Entities;
using Forgeline.MessageCenter.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Forgeline.MessageCenter;

/// <summary>Webhook subscriptions: make, list, delete, and look at their deliveries. Each belongs to the principal who made it.</summary>
public sealed partial class SubscriptionService(ForgelineDbContext db, WebhookTargets targets, TimeProvider time, ILogger<SubscriptionService> logger)
{
    /// <summary>Most type patterns one subscription may have.</summary>
    public const int MaxTypes = 32;

    /// <summary>Makes a subscription for <paramref name="viewer"/>; it receives the events after the newest one now.</summary>
    public async Task<ServiceResult<CreatedSubscriptionDto>> CreateAsync(EventViewer viewer, CreateSubscriptionRequest request, CancellationToken cancellationToken)
    {
        if (request.Types is not { Count: > 0 and <= MaxTypes } types)
        {
            return ServiceResult<CreatedSubscriptionDto>.Fail(ServiceError.Invalid, $"types must list 1 to {MaxTypes} event type patterns, e.g. org.forgeline.build.*");
        }

        if (types.FirstOrDefault(t => !EventTypePattern.IsValid(t)) is { } bad)
        {
            return ServiceResult<CreatedSubscriptionDto>.Fail(ServiceError.Invalid, $"type pattern '{bad}' is not valid: {EventTypePattern.Rule}");
        }

        if (targets.UrlProblem(request.Url) is { } urlProblem)
        {
            return ServiceResult<CreatedSubscriptionDto>.Fail(ServiceError.Invalid, urlProblem);
        }

        if (request.Secret is { } given && (given.Length is < 16 or > 256 || given.Any(char.IsWhiteSpace)))
        {
            return ServiceResult<CreatedSubscriptionDto>.Fail(ServiceError.Invalid, "secret must be 16 to 256 characters without spaces; leave it out to have one generated");
        }

        var secret = request.Secret ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var row = new EventSubscriptionRecord
        {
            Owner = viewer.Name,
            Types = string.Join(' ', types.Distinct(StringComparer.Ordinal)),
            Url = request.Url,
            Secret = secret,
            Audience = string.Join(' ', viewer.Names.Where(n => !n.Contains(' ', StringComparison.Ordinal)).Order(StringComparer.Ordinal)),
            SeesAll = viewer.SeesAll,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            FromEvent = await OutboxReader.NewestAsync(db, cancellationToken),
        };
        db.EventSubscriptions.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(row.Id, row.Owner, row.Types);
        return new CreatedSubscriptionDto(ToDto(row), secret);
    }

    /// <summary>The viewer's subscriptions (an admin's: everyone's), oldest first.</summary>
    public async Task<List<SubscriptionDto>> ListAsync(EventViewer viewer, CancellationToken cancellationToken)
    {
        var query = db.EventSubscriptions.AsNoTracking();
        if (!viewer.SeesAll)
        {
            query = query.Where(s => s.Owner == viewer.Name);
        }

        return [.. (await query.OrderBy(s => s.Id).ToListAsync(cancellationToken)).Select(ToDto)];
    }

    /// <summary>Deletes a subscription and its deliveries; its owner or an admin only.</summary>
    public async Task<ServiceResult<bool>> DeleteAsync(EventViewer viewer, long id, CancellationToken cancellationToken)
    {
        if (await FindAsync(viewer, id, cancellationToken) is not { } found)
        {
            return ServiceResult<bool>.Fail(ServiceError.NotFound, NotFound(id));
        }

        await db.EventSubscriptions.Where(s => s.Id == found.Id).ExecuteDeleteAsync(cancellationToken);
        LogDeleted(id, viewer.Name);
        return true;
    }

    /// <summary>A subscription's deliveries, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<ServiceResult<List<DeliveryDto>>> DeliveriesAsync(EventViewer viewer, long id, int limit, CancellationToken cancellationToken)
    {
        if (await FindAsync(viewer, id, cancellationToken) is null)
        {
            return ServiceResult<List<DeliveryDto>>.Fail(ServiceError.NotFound, NotFound(id));
        }

        var rows = await db.EventDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id).OrderByDescending(d => d.Id).Take(Math.Clamp(limit, 1, 1000))
            .Join(db.Outbox.AsNoTracking(), d => d.OutboxId, o => o.Id, (d, o) => new { d, o.EventId, o.Type, o.Subject })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new DeliveryDto(r.d.Id, r.EventId, r.Type, r.Subject, r.d.State, r.d.Attempts, r.d.LastStatus, r.d.LastError,
                new DateTimeOffset(r.d.CreatedAt), r.d.State == EventDeliveryStates.Pending ? new DateTimeOffset(r.d.NextAttemptAt) : null,
                r.d.DeliveredAt is { } at ? new DateTimeOffset(at) : null))
            .OrderByDescending(d => d.Id).ToList();
    }

    // Someone else's subscription is "not found", so ids do not tell what exists.
    private Task<EventSubscriptionRecord?> FindAsync(EventViewer viewer, long id, CancellationToken cancellationToken) =>
        db.EventSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && (viewer.SeesAll || s.Owner == viewer.Name), cancellationToken);

    private static string NotFound(long id) => $"no subscription {id} of yours; 'forgeline events list' shows them";

    private static SubscriptionDto ToDto(EventSubscriptionRecord s) =>
        new(s.Id, s.Owner, s.TypeList, s.Url, new DateTimeOffset(s.CreatedAt), s.FromEvent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {SubscriptionId} made by {Owner} for {Types}")]
    private partial void LogCreated(long subscriptionId, string owner, string types);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {SubscriptionId} deleted by {Who}")]
    private partial void LogDeleted(long subscriptionId, string who);
}
