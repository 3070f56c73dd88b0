namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>build_targets</c> table: a build target made through the API (settings targets are not stored).</summary>
public sealed class BuildTargetRecord
{
    /// <summary>Unique name, e.g. <c>openeuler-24.03-x86_64</c>.</summary>
    public required string Name { get; set; }

    /// <summary>The RPM architecture its roots are made for.</summary>
    public required string Arch { get; set; }

    /// <summary>Its repositories in order, as JSON <c>[{"id","url","gpgKey"}]</c>.</summary>
    public required string Repositories { get; set; }

    /// <summary>Base packages of every root, as a JSON array.</summary>
    public required string BasePackages { get; set; }

    /// <summary>RPM macros as a JSON object; null for none.</summary>
    public string? Macros { get; set; }

    /// <summary>The <c>%{dist}</c> of its builds, or null.</summary>
    public string? DistTag { get; set; }

    /// <summary>Where rpm keeps its database inside the root.</summary>
    public required string RpmDbPath { get; set; }

    /// <summary>dnf's <c>$releasever</c>.</summary>
    public required string ReleaseVersion { get; set; }

    /// <summary>When it was made or last replaced (UTC).</summary>
    public DateTime UpdatedAt { get; set; }
}
