using System.Text.Json;

namespace Forgeline.Bot.Forges;

/// <summary>Tolerant reads of forge JSON: a missing or null field is a null, not an exception.</summary>
internal static class JsonFields
{
    /// <summary>The string at <paramref name="name"/>, or null when absent, null or not a string.</summary>
    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The object or array at <paramref name="name"/>, or null when absent or null.</summary>
    public static JsonElement? Child(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.Object or JsonValueKind.Array
            ? value
            : null;

    /// <summary>The boolean at <paramref name="name"/>, or null when absent or not a boolean.</summary>
    public static bool? Flag(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;

    /// <summary>The integer at <paramref name="name"/>, or null when absent or not a number.</summary>
    public static long? Number(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;

    /// <summary>The items of the array at <paramref name="name"/> (none when absent).</summary>
    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>The string at <paramref name="name"/> of each item of the array at <paramref name="arrayName"/>, skipping items without one.</summary>
    public static IReadOnlyList<string> TextsOf(this JsonElement element, string arrayName, string name) =>
        element.Items(arrayName).Select(item => item.ValueKind == JsonValueKind.String ? item.GetString() : item.Text(name)).OfType<string>().ToList();

    /// <summary>The string at <paramref name="name"/> inside the object at <paramref name="objectName"/>.</summary>
    public static string? TextIn(this JsonElement element, string objectName, string name) =>
        element.Child(objectName) is { } child ? child.Text(name) : null;
}
