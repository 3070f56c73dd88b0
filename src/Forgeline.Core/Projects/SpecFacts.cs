using System.Text.Json.Serialization;
using Forgeline.Rpm;

namespace Forgeline.Core.Projects;

/// <summary>What a spec file says about the packages it builds, as rpmspec reads it with a project's macros.</summary>
/// <param name="Name">The source package's name.</param>
/// <param name="Version">Its version.</param>
/// <param name="Release">Its release, with the dist tag expanded (e.g. <c>1.fc40</c>).</param>
/// <param name="Epoch">Its epoch, or null when the spec has none.</param>
/// <param name="BuildRequires">The build requirements, in rpmspec's order.</param>
/// <param name="Packages">Each binary package the spec makes, in the spec's order (the main package first).</param>
/// <param name="Commit">For a git source: the full sha of the commit read; null otherwise.</param>
public sealed record SpecFacts(
    string Name,
    string Version,
    string Release,
    int? Epoch,
    IReadOnlyList<RpmCapability> BuildRequires,
    IReadOnlyList<SpecPackageFacts> Packages,
    string? Commit = null)
{
    /// <summary><c>[epoch:]version-release</c>.</summary>
    [JsonIgnore]
    public string Evr => Epoch is { } e ? $"{e}:{Version}-{Release}" : $"{Version}-{Release}";

    /// <summary>Every capability the binary packages provide (their own names included).</summary>
    [JsonIgnore]
    public IEnumerable<RpmCapability> AllProvides => Packages.SelectMany(p => p.Provides);
}
