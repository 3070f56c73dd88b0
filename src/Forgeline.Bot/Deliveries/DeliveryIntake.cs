using System.Security.Cryptography;
using Forgeline.Bot.Config;
using Forgeline.Bot.Dispatch;
using Forgeline.Bot.Forges;
using Forgeline.Bot.State;
using Forgeline.Bot.Webhooks;
using Forgeline.Core;
using Forgeline.Core.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Forgeline.Bot.Deliveries;

/// <summary>
/// Takes a webhook delivery: checks the forge's signature or token in constant time, stores the delivery (before anything
/// is answered), and queues it for processing. Bad signatures are answered 401 and recorded; a delivery id already stored
/// is not stored or processed again.
/// </summary>
public sealed partial class DeliveryIntake(
    BotRuntime runtime, DeliveryWriter writer, IEventBus bus, BotMetrics metrics, TimeProvider time, IOptions<BotOptions> options, ILogger<DeliveryIntake> logger)
{
    /// <summary>The work queue deliveries wait in (in memory, or on RabbitMQ with <c>FORGELINE_BROKER</c>).</summary>
    public const string Queue = "forgeline.bot.deliveries";

    private readonly Lock rejectionsLock = new();
    private long rejectionMinute;
    private int rejectionsThisMinute;

    /// <summary>What the intake did.</summary>
    /// <param name="Accepted">Stored now (202).</param>
    /// <param name="Message">For the forge's delivery log.</param>
    /// <param name="Id">The stored row.</param>
    public sealed record Outcome(bool Accepted, string Message, long? Id = null);

    /// <summary>Checks, stores and queues one delivery.</summary>
    /// <param name="forgeName">The forge in the URL (github, gitee, gitlab).</param>
    /// <param name="header">The request's headers by name (case-insensitive).</param>
    /// <param name="body">The raw body exactly as signed.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<ServiceResult<Outcome>> ReceiveAsync(string forgeName, Func<string, string?> header, byte[] body, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<Forge>(forgeName, ignoreCase: true, out var forge) || forgeName.Any(char.IsUpper))
        {
            return ServiceResult<Outcome>.Fail(ServiceError.NotFound, $"no webhook for '{forgeName}'; use /hooks/github, /hooks/gitee or /hooks/gitlab");
        }

        if (runtime.Config is not { } config)
        {
            // The reason names the server's configuration path: it is for admins (on /bot), not for whoever posts a webhook.
            return ServiceResult<Outcome>.Fail(ServiceError.Unavailable, "the review bot is not configured on this server; an admin sees why on its /bot page");
        }

        var name = BotPullStore.ForgeName(forge);
        if (runtime.WebhookSecret(forge) is not { } secret)
        {
            return ServiceResult<Outcome>.Fail(ServiceError.NotFound, $"{config.ForgeFor(forge) switch { null => $"forge '{name}' is not in the bot's configuration", _ => $"forge '{name}' has no webhook_secret" }}");
        }

        var format = ForgeWebhooks.For(forge);
        var deliveryId = format.DeliveryId(header, body);
        var eventName = format.EventName(header);
        if (!format.IsAuthentic(secret, header, body))
        {
            metrics.Delivery(name, "rejected");
            LogRejected(name, deliveryId);
            await RecordRejectionAsync(new StoredDelivery(name, RejectedId(deliveryId), eventName ?? "?", null, DeliveryStates.Rejected, time.GetUtcNow().UtcDateTime,
                "bad or missing signature"), cancellationToken);
            return ServiceResult<Outcome>.Fail(ServiceError.Unauthorized, $"the delivery's signature or token does not match the {name} webhook secret");
        }

        if (eventName is null)
        {
            metrics.Delivery(name, "invalid");
            return ServiceResult<Outcome>.Fail(ServiceError.Invalid, $"the delivery names no event ({format.EventHeader} header missing)");
        }

        var id = await writer.StoreAsync(new StoredDelivery(name, deliveryId, eventName, body, DeliveryStates.Pending, time.GetUtcNow().UtcDateTime), cancellationToken);
        if (id is null)
        {
            metrics.Delivery(name, "duplicate");
            return new Outcome(false, $"delivery {deliveryId} was already received; it is processed once");
        }

        metrics.Delivery(name, "accepted");
        try
        {
            await bus.EnqueueAsync(Queue, BitConverter.GetBytes(id.Value), id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }
        catch (EventBusException e)
        {
            // Stored is what counts: the processors' sweep finds deliveries that never reached the queue.
            LogNotQueued(e, id.Value);
        }

        return new Outcome(true, $"delivery {deliveryId} stored as {id}", id);
    }

    // Rejected deliveries get their own id space, so a forged delivery cannot take the id of a genuine one still to come.
    private static string RejectedId(string deliveryId) =>
        $"rejected:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}:{deliveryId}"[..Math.Min(128, 26 + deliveryId.Length)];

    private async Task RecordRejectionAsync(StoredDelivery rejected, CancellationToken cancellationToken)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        lock (rejectionsLock)
        {
            if (minute != rejectionMinute)
            {
                rejectionMinute = minute;
                rejectionsThisMinute = 0;
            }

            if (++rejectionsThisMinute > options.Value.MaxRejectionsStoredPerMinute)
            {
                return;
            }
        }

        await writer.StoreAsync(rejected, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} from {Forge} rejected: bad or missing signature")]
    private partial void LogRejected(string forge, string deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Id} stored but not queued; the sweep will process it")]
    private partial void LogNotQueued(Exception exception, long id);
}
