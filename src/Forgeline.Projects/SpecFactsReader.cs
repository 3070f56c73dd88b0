using System.Text.Json;
using Forgeline.Builds.Artifacts;
using Forgeline.Core;
using Forgeline.Core.Builds;
using Forgeline.Core.Projects;
using Forgeline.Data.Entities;

namespace Forgeline.Projects;

/// <summary>
/// Keeps each package's spec facts current: read again (in the sandbox, by <see cref="ISpecReader"/>) when the source
/// changed — a new upload, or a git ref that now names another commit — and reused otherwise.
/// </summary>
public sealed class SpecFactsReader(ISpecReader reader, ArtifactStore store, Builds.Targets.TargetService targets)
{
    /// <summary>The package's facts, read again if its source changed; stored on <paramref name="package"/> (saved by the caller).</summary>
    public async Task<ServiceResult<SpecFacts>> RefreshAsync(ProjectRecord project, ProjectPackageRecord package, CancellationToken cancellationToken)
    {
        var source = package.Source;
        // An upload never changes under its digest; a git ref may move, so it is read again (the clone resolves it).
        if (source.Kind != SourceKind.Git && package.FactsFrom == source.Blob && Parse(package.Facts) is { } known)
        {
            return known;
        }

        var file = source.Kind is SourceKind.Srpm or SourceKind.Directory && source.Blob is { } blob ? store.PathOf(blob) : null;
        SpecFacts facts;
        try
        {
            var arch = await ProjectRules.ArchOfAsync(project.ChrootList[0], targets, cancellationToken);
            facts = await reader.ReadAsync(new SpecReadRequest(source, file, arch, MacrosOf(project)), cancellationToken);
        }
        catch (SpecReadException e)
        {
            return ServiceResult<SpecFacts>.Fail(ServiceError.Invalid, $"package '{package.Name}': {e.Message}");
        }

        package.Facts = JsonSerializer.Serialize(facts, ForgelineJson.Options);
        package.FactsFrom = source.Kind == SourceKind.Git ? facts.Commit : source.Blob;
        return facts;
    }

    /// <summary>Stored facts, or null.</summary>
    public static SpecFacts? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<SpecFacts>(json, ForgelineJson.Options);

    /// <summary>The macros every build of the project gets: its own, and its dist tag as <c>dist</c>.</summary>
    public static Dictionary<string, string> MacrosOf(ProjectRecord project)
    {
        var macros = project.Macros is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [] : [];
        if (project.DistTag is { Length: > 0 } dist)
        {
            macros["dist"] = dist;
        }

        return macros;
    }
}
