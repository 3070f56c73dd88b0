using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Forgeline.Data.Entities;

namespace Forgeline.MessageCenter;

/// <summary>
/// Turns an outbox row into a CloudEvents 1.0 structured-mode JSON document (one line), with the CNCF SDK. The same row
/// always gives the same bytes, so a retried delivery, an SSE stream and RabbitMQ carry the event exactly as stored.
/// </summary>
public static class CloudEventEncoder
{
    /// <summary>The media type of a structured-mode JSON CloudEvent.</summary>
    public const string MediaType = "application/cloudevents+json";

    private static readonly JsonEventFormatter Formatter = new();

    /// <summary>The structured JSON of <paramref name="row"/>.</summary>
    public static ReadOnlyMemory<byte> Encode(OutboxEventRecord row) => Formatter.EncodeStructuredModeMessage(ToCloudEvent(row), out _);

    /// <summary>The SDK's view of <paramref name="row"/>.</summary>
    public static CloudEvent ToCloudEvent(OutboxEventRecord row)
    {
        using var data = JsonDocument.Parse(row.Data);
        return new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = row.EventId,
            Type = row.Type,
            Source = new Uri(row.Source, UriKind.RelativeOrAbsolute),
            Subject = row.Subject,
            Time = new DateTimeOffset(DateTime.SpecifyKind(row.Time, DateTimeKind.Utc)),
            DataContentType = "application/json",
            Data = data.RootElement.Clone(),
        };
    }
}
