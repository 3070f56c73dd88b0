namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>repository_packages</c> table: a signed RPM that belongs in a project's repository.</summary>
public sealed class RepositoryPackageRecord
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>The project.</summary>
    public long ProjectId { get; set; }

    /// <summary>The chroot whose repository it is in.</summary>
    public required string Chroot { get; set; }

    /// <summary>The package of the project it was built from.</summary>
    public long PackageId { get; set; }

    /// <summary>The build that made it.</summary>
    public long BuildId { get; set; }

    /// <summary>File name.</summary>
    public required string FileName { get; set; }

    /// <summary>sha256 of the signed RPM in the artifact store.</summary>
    public required string Sha256 { get; set; }

    /// <summary>sha256 of the unsigned RPM the build uploaded.</summary>
    public required string UnsignedSha256 { get; set; }

    /// <summary>Size of the signed RPM.</summary>
    public long Size { get; set; }

    /// <summary>When it was added (UTC).</summary>
    public DateTime AddedAt { get; set; }
}
