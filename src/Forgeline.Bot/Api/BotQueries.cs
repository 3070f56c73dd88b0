using Forgeline.Bot.Commands;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Bot.Api;

/// <summary>What the bot's API and pages show: its commands and recent deliveries.</summary>
public sealed class BotQueries(ForgelineDbContext db, CommandCatalog catalog)
{
    /// <summary>Every command the bot knows, in plugin order.</summary>
    public IReadOnlyList<BotCommandDto> Commands() =>
        [.. catalog.All.Select(c => new BotCommandDto(c.Name, c.Usage, c.Description, c.WhoText, c.Plugin))];

    /// <summary>The newest deliveries (optionally in one state), with their plugin outcomes.</summary>
    public async Task<IReadOnlyList<BotDeliveryDto>> DeliveriesAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        var query = db.BotDeliveries.AsNoTracking();
        if (state is { Length: > 0 })
        {
            query = query.Where(d => d.State == state);
        }

        var rows = await query.OrderByDescending(d => d.Id).Take(Math.Clamp(limit, 1, 500))
            .Select(d => new { d.Id, d.Forge, d.DeliveryId, d.Event, d.Repository, d.State, d.ReceivedAt, d.FinishedAt, d.Attempts, d.Error })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var runs = (await db.BotPluginRuns.AsNoTracking().Where(r => ids.Contains(r.DeliveryId)).ToListAsync(cancellationToken)).ToLookup(r => r.DeliveryId);
        return [.. rows.Select(r => new BotDeliveryDto(r.Id, r.Forge, r.DeliveryId, r.Event, r.Repository, r.State, r.ReceivedAt, r.FinishedAt, r.Attempts, r.Error,
            [.. runs[r.Id].Select(p => new BotPluginRunDto(p.Plugin, p.Outcome, p.DurationMs, p.Error))]))];
    }
}
