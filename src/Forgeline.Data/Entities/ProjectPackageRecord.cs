using Forgeline.Core.Builds;

namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>project_packages</c> table: where a package of a project comes from and what its spec says.</summary>
public sealed class ProjectPackageRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The project.</summary>
    public long ProjectId { get; set; }

    /// <summary>Name in the project.</summary>
    public required string Name { get; set; }

    /// <summary>Kind of source.</summary>
    public SourceKind SourceKind { get; set; }

    /// <summary>sha256 of the uploaded SRPM or directory tarball.</summary>
    public string? SourceBlob { get; set; }

    /// <summary>The uploaded file's name.</summary>
    public string? SourceFileName { get; set; }

    /// <summary>Git URL.</summary>
    public string? GitUrl { get; set; }

    /// <summary>Git ref.</summary>
    public string? GitRef { get; set; }

    /// <summary>Spec path inside the sources.</summary>
    public string? SpecPath { get; set; }

    /// <summary>Rebuild when the forge reports a push to the ref.</summary>
    public bool AutoRebuild { get; set; }

    /// <summary>The HMAC secret webhook deliveries are signed with; null when the package has no webhook.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>What the spec says (SpecFacts as JSON), read in the sandbox.</summary>
    public string? Facts { get; set; }

    /// <summary>What the facts were read from: the blob digest or the git commit.</summary>
    public string? FactsFrom { get; set; }

    /// <summary>Provides of the RPMs of its latest successful build, per chroot, as JSON; they replace the spec's once known.</summary>
    public string? BuiltProvides { get; set; }

    /// <summary>When it was added (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>The source as the API describes it.</summary>
    public BuildSource Source => new(SourceKind, SourceBlob, SourceFileName, GitUrl, GitRef, SpecPath);
}
