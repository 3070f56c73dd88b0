using Forgeline.Core.Builds;
using Forgeline.Data.Entities;

namespace Forgeline.Builds;

/// <summary>Turns stored builds into what the API returns.</summary>
public static class BuildMapper
{
    /// <summary>The API view of a build.</summary>
    public static BuildDto ToDto(this BuildRecord b) => new(
        b.Id,
        b.State.ToApiName(),
        b.Package,
        b.Source,
        b.Arch,
        b.Owner,
        new DateTimeOffset(b.SubmittedAt),
        b.StartedAt is { } s ? new DateTimeOffset(s) : null,
        b.FinishedAt is { } f ? new DateTimeOffset(f) : null,
        b.WorkerName,
        b.Reason,
        b.Attempt,
        b.Artifacts.OrderBy(a => a.Kind == "log").ThenBy(a => a.Name, StringComparer.Ordinal)
            .Select(a => new ArtifactDto(a.Name, a.Kind, a.Size, a.Sha256, ArtifactUrl(b.Id, a.Name))).ToList(),
        b.Priority,
        StoredLabels.Split(b.Labels),
        MacrosOf(b),
        b.CachedFromId,
        b.Target,
        RootOf(b));

    /// <summary>What the worker reported of the build's root, or null.</summary>
    public static Core.Workers.JobRootReport? RootOf(BuildRecord b) =>
        b.RootReport is { } json ? System.Text.Json.JsonSerializer.Deserialize<Core.Workers.JobRootReport>(json, Core.ForgelineJson.Options) : null;

    /// <summary>The build's RPM macros (stored as a JSON object), or null for none.</summary>
    public static Dictionary<string, string>? MacrosOf(BuildRecord b) =>
        b.Macros is { } json ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null;

    /// <summary>Download path of an artifact.</summary>
    public static string ArtifactUrl(long buildId, string name) => $"/api/v1/builds/{buildId}/artifacts/{Uri.EscapeDataString(name)}";

    /// <summary>The RPMs a build needs installed (other packages of its project), or null for none.</summary>
    public static IReadOnlyList<Core.Workers.JobDependency>? DependenciesOf(BuildRecord build) =>
        build.Dependencies is { } json ? System.Text.Json.JsonSerializer.Deserialize<List<Core.Workers.JobDependency>>(json, Core.ForgelineJson.Options) : null;
}
