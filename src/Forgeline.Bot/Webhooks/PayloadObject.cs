using System.Globalization;
using System.Text.Json;

namespace Forgeline.Bot.Webhooks;

/// <summary>
/// A JSON object inside a webhook payload, read field by field. A required field that is missing, null or of the
/// wrong type throws <see cref="WebhookFormatException"/> naming its full path (<c>comment.user.login</c>); an
/// optional one that is missing or null reads as null, but one of the wrong type still throws, so a payload that
/// changed shape is reported rather than half read.
/// </summary>
internal readonly struct PayloadObject
{
    private readonly JsonElement element;
    private readonly string path;
    private readonly string payload;

    private PayloadObject(JsonElement element, string path, string payload)
    {
        this.element = element;
        this.path = path;
        this.payload = payload;
    }

    /// <summary>Parses <paramref name="body"/> and returns its root object; <paramref name="payload"/> names it in errors (<c>GitHub 'push' payload</c>).</summary>
    public static JsonDocument Parse(byte[] body, string payload)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new WebhookFormatException($"the {payload} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The root object of a parsed payload.</summary>
    public static PayloadObject Root(JsonDocument document, string payload) =>
        document.RootElement.ValueKind == JsonValueKind.Object
            ? new PayloadObject(document.RootElement, "", payload)
            : throw new WebhookFormatException($"the {payload} is {Kind(document.RootElement.ValueKind)}, not a JSON object");

    /// <summary>Whether the field is there and not null.</summary>
    public bool Has(string name) => Value(name) is not null;

    /// <summary>Whether the field is present at all (even as null).</summary>
    public bool Contains(string name) => element.TryGetProperty(name, out _);

    /// <summary>A required object.</summary>
    public PayloadObject Object(string name) => OptionalObject(name) ?? throw Missing(name, "an object");

    /// <summary>An optional object.</summary>
    public PayloadObject? OptionalObject(string name) =>
        Typed(name, JsonValueKind.Object, "an object") is { } value ? new PayloadObject(value, Full(name), payload) : null;

    /// <summary>A required string (may be empty).</summary>
    public string String(string name) => OptionalString(name) ?? throw Missing(name, "a string");

    /// <summary>An optional string.</summary>
    public string? OptionalString(string name) => Typed(name, JsonValueKind.String, "a string")?.GetString();

    /// <summary>A required whole number that fits 32 bits.</summary>
    public int Int(string name) => OptionalInt(name) ?? throw Missing(name, "a number");

    /// <summary>An optional whole number that fits 32 bits.</summary>
    public int? OptionalInt(string name) =>
        Typed(name, JsonValueKind.Number, "a number") is not { } value ? null
        : value.TryGetInt32(out var number) ? number
        : throw new WebhookFormatException($"the {payload} has '{Full(name)}' = {Shorten(value.GetRawText())}, not a whole number of 32 bits");

    /// <summary>An optional true or false.</summary>
    public bool? OptionalBool(string name) =>
        Value(name) is not { } value ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw WrongType(name, value, "true or false");

    /// <summary>A required id, given as a whole number or a string (forges use both), as text.</summary>
    public string Id(string name)
    {
        var value = Value(name) ?? throw Missing(name, "an id");
        return value.ValueKind switch
        {
            JsonValueKind.String when value.GetString() is { Length: > 0 } text => text,
            JsonValueKind.Number when value.TryGetDecimal(out var number) && number == decimal.Truncate(number) => number.ToString(CultureInfo.InvariantCulture),
            _ => throw WrongType(name, value, "an id (a whole number or a non-empty string)"),
        };
    }

    /// <summary>An optional array of objects (empty when missing or null).</summary>
    public IReadOnlyList<PayloadObject> Objects(string name)
    {
        if (Typed(name, JsonValueKind.Array, "an array") is not { } array)
        {
            return [];
        }

        var items = new List<PayloadObject>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{Full(name)}[{index++}]";
            items.Add(item.ValueKind == JsonValueKind.Object
                ? new PayloadObject(item, itemPath, payload)
                : throw new WebhookFormatException($"the {payload} has '{itemPath}' as {Kind(item.ValueKind)}, expected an object"));
        }

        return items;
    }

    /// <summary>The <paramref name="field"/> string of every object in the array <paramref name="name"/> (label names).</summary>
    public IReadOnlyList<string> Names(string name, string field) => [.. Objects(name).Select(item => item.String(field))];

    /// <summary>A <see cref="WebhookFormatException"/> about this object's field, for checks the reader cannot make itself.</summary>
    public WebhookFormatException Invalid(string name, string problem) => new($"the {payload} has '{Full(name)}' {problem}");

    private JsonElement? Value(string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private JsonElement? Typed(string name, JsonValueKind kind, string expected) =>
        Value(name) is not { } value ? null
        : value.ValueKind == kind ? value
        : throw WrongType(name, value, expected);

    private string Full(string name) => path.Length == 0 ? name : $"{path}.{name}";

    private WebhookFormatException Missing(string name, string expected) =>
        new($"the {payload} has no '{Full(name)}' ({expected})");

    private WebhookFormatException WrongType(string name, JsonElement value, string expected) =>
        new($"the {payload} has '{Full(name)}' as {Kind(value.ValueKind)}, expected {expected}");

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
