using RabbitMQ.Client;

namespace Forgeline.Events.RabbitMq;

public sealed partial class RabbitMqEventBus
{
    /// <summary>The start of every CloudEvent type, and so of their routing keys; bus subscribers never see these.</summary>
    public const string CloudEventKeyPrefix = "org.forgeline.";

    /// <summary>
    /// Publishes a structured CloudEvent to the durable topic exchange <see cref="ExchangeName"/> with its type as the
    /// routing key (e.g. <c>org.forgeline.build.finished</c>), persistent and confirmed by the broker, for other services to
    /// bind queues to (<c>org.forgeline.build.*</c>, <c>org.forgeline.#</c>).
    /// </summary>
    public async ValueTask PublishCloudEventAsync(string type, string eventId, DateTimeOffset time, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        if (!type.StartsWith(CloudEventKeyPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"a CloudEvent type published here starts with {CloudEventKeyPrefix}", nameof(type));
        }

        var properties = new BasicProperties
        {
            ContentType = "application/cloudevents+json",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = eventId,
            Type = type,
            AppId = "forgeline",
            Timestamp = new AmqpTimestamp(time.ToUnixTimeSeconds()),
        };
        await PublishCoreAsync(ExchangeName, type, mandatory: false, properties, body, $"CloudEvent {eventId}", cancellationToken);
    }
}
