using System.Text.Json.Serialization;

namespace Forgeline.Projects.Dependencies;

/// <summary>Why two project packages get in each other's way.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DependencyConflictKind>))]
public enum DependencyConflictKind
{
    /// <summary>They produce a binary package of the same name.</summary>
    SameBinaryPackage,

    /// <summary>A requirement of a third package is provided by both, so which one to wait for is ambiguous.</summary>
    AmbiguousProvider,
}
