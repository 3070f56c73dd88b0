using Forgeline.Bot.Commands;
using Forgeline.Bot.Config;
using Forgeline.Bot.Deliveries;
using Forgeline.Bot.Forges;
using Forgeline.Bot.State;
using Forgeline.Data;
using Microsoft.EntityFrameworkCore;

namespace Forgeline.Bot.Api;

/// <summary>What the bot's API and pages show: its commands, forges, repositories and recent deliveries.</summary>
public sealed class BotQueries(ForgelineDbContext db, CommandCatalog catalog, BotRuntime runtime, TimeProvider time)
{
    /// <summary>Every delivery state, in the order a delivery goes through them.</summary>
    public static IReadOnlyList<string> States { get; } =
        [DeliveryStates.Pending, DeliveryStates.Processing, DeliveryStates.Done, DeliveryStates.Failed, DeliveryStates.Rejected];

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
            [.. runs[r.Id].OrderBy(p => p.FinishedAt).Select(p => new BotPluginRunDto(p.Plugin, p.Outcome, p.DurationMs, p.Error))]))];
    }

    /// <summary>How many deliveries received in the last hour and day are in each state (every state listed, zeros included).</summary>
    public async Task<IReadOnlyList<BotDeliveryCountDto>> DeliveryCountsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var dayAgo = now.AddDays(-1);
        var hourAgo = now.AddHours(-1);
        var counts = (await db.BotDeliveries.AsNoTracking().Where(d => d.ReceivedAt > dayAgo)
            .GroupBy(d => d.State)
            .Select(g => new { State = g.Key, Day = g.Count(), Hour = g.Count(d => d.ReceivedAt > hourAgo) })
            .ToListAsync(cancellationToken)).ToDictionary(c => c.State, StringComparer.Ordinal);
        return [.. States.Select(s => counts.TryGetValue(s, out var c) ? new BotDeliveryCountDto(s, c.Hour, c.Day) : new BotDeliveryCountDto(s, 0, 0))];
    }

    /// <summary>
    /// The three forges: whether bot.yaml configures each and where its webhook goes — under bot.yaml's <c>public_url</c>,
    /// else under <paramref name="requestedServer"/> (the URL the visitor reached Forgeline at).
    /// </summary>
    public IReadOnlyList<BotForgeDto> Forges(string requestedServer)
    {
        var server = (runtime.Config?.PublicUrl is { Length: > 0 } configured ? configured : requestedServer).TrimEnd('/');
        return [.. Enum.GetValues<Forge>().Select(forge =>
        {
            var name = BotPullStore.ForgeName(forge);
            var settings = runtime.Config?.ForgeFor(forge);
            return new BotForgeDto(name, settings is not null, settings?.ApiUrl, runtime.WebhookSecret(forge) is not null, $"{server}/hooks/{name}");
        })];
    }

    /// <summary>Each key of bot.yaml's <c>repos</c> with its effective settings; empty when the bot is not configured.</summary>
    public IReadOnlyList<BotRepoDto> Repositories()
    {
        if (runtime.Config is not { } config)
        {
            return [];
        }

        // The defaults (labels, merge method) depend on the key's settings, not on which repository they are read for.
        var anyRepository = new RepoRef(Forge.GitHub, "", "");
        return [.. config.Repos.OrderBy(r => r.Key == "default" ? 1 : 0).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r =>
        {
            var settings = new RepoSettings(anyRepository, config, r.Value);
            return new BotRepoDto(r.Key, [.. r.Value.Plugins ?? []], settings.MergeMethod.ToString().ToLowerInvariant(), settings.RequiredLabels, settings.BlockingLabels,
                [.. settings.Jobs.Select(j => new BotJobDto(j.Name, j.Farm ? "build farm" : WithoutSecrets(j.Url), j.AlwaysRun, j.Required))]);
        })];
    }

    private static string WithoutSecrets(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : "";
}
