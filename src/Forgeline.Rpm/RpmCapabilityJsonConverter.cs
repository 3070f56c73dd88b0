using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forgeline.Rpm;

/// <summary>Writes a capability as its rpm text (<c>"make &gt;= 4.0"</c>) and parses it back.</summary>
internal sealed class RpmCapabilityJsonConverter : JsonConverter<RpmCapability>
{
    public override RpmCapability Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("a dependency must be a string such as \"make >= 4.0\"");
        try
        {
            return RpmCapability.Parse(text);
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, RpmCapability value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
