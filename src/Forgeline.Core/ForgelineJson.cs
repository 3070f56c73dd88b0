using System.Text.Json;

namespace Forgeline.Core;

/// <summary>The JSON settings of the API, shared by server and client so both read what the other writes.</summary>
public static class ForgelineJson
{
    /// <summary>camelCase web defaults, enums as strings, indented for people.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
