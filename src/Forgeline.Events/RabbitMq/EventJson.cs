using System.Text.Json;
using System.Text.Json.Serialization;
using Forgeline.Core.Events;

namespace Forgeline.Events.RabbitMq;

/// <summary>Events on the wire: camelCase JSON, the same web defaults as the API, generated at build time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ForgelineEvent))]
internal sealed partial class EventJson : JsonSerializerContext
{
    public static byte[] Serialize(ForgelineEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, Default.ForgelineEvent);

    /// <summary>The event in <paramref name="body"/>, or null when it is not one (a foreign or broken message).</summary>
    public static ForgelineEvent? TryDeserialize(ReadOnlySpan<byte> body)
    {
        try
        {
            var e = JsonSerializer.Deserialize(body, Default.ForgelineEvent);
            return e is { Kind.Length: > 0 } ? e : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
