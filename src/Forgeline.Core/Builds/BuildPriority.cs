using System.Text.Json.Serialization;

namespace Forgeline.Core.Builds;

/// <summary>How urgent a build is among its owner's builds. Owners are served fairly first; priority orders within one owner.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BuildPriority>))]
public enum BuildPriority
{
    /// <summary>Ahead of the owner's other builds (e.g. a fix someone waits for).</summary>
    High = 0,

    /// <summary>The default.</summary>
    Normal = 1,

    /// <summary>Behind the owner's other builds (e.g. a mass rebuild); still starts eventually, as it ages.</summary>
    Low = 2,
}

/// <summary>Helpers on <see cref="BuildPriority"/>.</summary>
public static class BuildPriorities
{
    /// <summary>The lower-case name used in the API, the CLI and the UI.</summary>
    public static string ToApiName(this BuildPriority priority) => priority.ToString().ToLowerInvariant();

    /// <summary>Parses <c>high</c>, <c>normal</c> or <c>low</c>; null for anything else.</summary>
    public static BuildPriority? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "high" => BuildPriority.High,
        "normal" or "" or null => BuildPriority.Normal,
        "low" => BuildPriority.Low,
        _ => null,
    };
}
