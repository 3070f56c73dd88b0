namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>projects</c> table: a set of packages built together and published as repositories.</summary>
public sealed class ProjectRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>Unique name, also a path segment of its repositories.</summary>
    public required string Name { get; set; }

    /// <summary>Who owns it (a token's owner); an admin of the project without being listed.</summary>
    public required string Owner { get; set; }

    /// <summary>For people.</summary>
    public string? Description { get; set; }

    /// <summary>Chroots (<c>distribution-version-arch</c>), space-separated.</summary>
    public string Chroots { get; set; } = "";

    /// <summary>The <c>%{dist}</c> of its builds.</summary>
    public string? DistTag { get; set; }

    /// <summary>More RPM macros as a JSON object; null for none.</summary>
    public string? Macros { get; set; }

    /// <summary>Name of the signing key of its packages and repositories.</summary>
    public required string SigningKey { get; set; }

    /// <summary>Visible to everyone, or to members only.</summary>
    public bool IsPublic { get; set; } = true;

    /// <summary><c>fail</c> or <c>wait</c>: what a build does when nothing provides one of its BuildRequires.</summary>
    public string MissingDependencies { get; set; } = "fail";

    /// <summary>Rebuild the packages that build-require a rebuilt one.</summary>
    public bool RebuildDependents { get; set; }

    /// <summary>Successful builds per package kept in the repositories.</summary>
    public int KeepBuilds { get; set; } = 2;

    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Its members.</summary>
    public List<ProjectMemberRecord> Members { get; set; } = [];

    /// <summary>The chroots as a list.</summary>
    public IReadOnlyList<string> ChrootList => Chroots.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
