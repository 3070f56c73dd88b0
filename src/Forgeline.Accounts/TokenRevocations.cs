using Forgeline.Core.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Forgeline.Accounts;

/// <summary>
/// Tells every server replica that a token was revoked or replaced, so each empties its <see cref="TokenCache"/>; and,
/// here, empties this process's cache whenever the bus's health changes (events may have been missed meanwhile).
/// </summary>
/// <param name="cache">This process's cache.</param>
/// <param name="bus">The event bus; null in a process without one (nothing is cached there).</param>
/// <param name="health">The bus's health; null without a bus.</param>
/// <param name="logger">Where a failed publish is logged.</param>
public sealed partial class TokenRevocations(TokenCache cache, IEventBus? bus, IEventBusHealth? health, ILogger<TokenRevocations> logger) : IHostedService
{
    private IAsyncDisposable? subscription;

    /// <summary>Empties the cache here at once, then tells the other replicas.</summary>
    public async Task RevokedAsync(string tokenName, CancellationToken cancellationToken)
    {
        cache.InvalidateAll();
        if (bus is null)
        {
            return;
        }

        try
        {
            await bus.PublishAsync(new ForgelineEvent(EventKinds.TokenRevoked, Subject: tokenName), cancellationToken);
        }
        catch (EventBusException failure)
        {
            // The bus is unhealthy, so the other replicas cache nothing until it is back, and empty their caches then.
            LogPublishFailed(tokenName, failure.Message);
        }
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (bus is null || health is null)
        {
            return;
        }

        health.HealthChanged += OnHealthChanged;
        subscription = await bus.SubscribeAsync([EventKinds.TokenRevoked], (e, _) =>
        {
            if (e.Origin != bus.InstanceId)
            {
                cache.InvalidateAll();
            }

            return ValueTask.CompletedTask;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (health is not null)
        {
            health.HealthChanged -= OnHealthChanged;
        }

        if (subscription is not null)
        {
            await subscription.DisposeAsync();
        }
    }

    private void OnHealthChanged(object? sender, EventArgs e) => cache.InvalidateAll();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell other replicas that token {Token} was revoked: {Error}; they cache no tokens while the bus is down")]
    private partial void LogPublishFailed(string token, string error);
}
