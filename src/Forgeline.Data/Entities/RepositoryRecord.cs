namespace Forgeline.Data.Entities;

/// <summary>A row of the <c>repositories</c> table: what was last published for a project's chroot.</summary>
public sealed class RepositoryRecord
{
    /// <summary>The project.</summary>
    public long ProjectId { get; set; }

    /// <summary>The chroot.</summary>
    public required string Chroot { get; set; }

    /// <summary>Counts changes of its content (RPMs added or pruned); it needs publishing while above <see cref="PublishedVersion"/>.</summary>
    public long ContentVersion { get; set; }

    /// <summary>The content version last published.</summary>
    public long PublishedVersion { get; set; }

    /// <summary>The publisher's generation number.</summary>
    public long Generation { get; set; }

    /// <summary>RPMs in it.</summary>
    public int Packages { get; set; }

    /// <summary>When it was last published (UTC); null before the first time.</summary>
    public DateTime? PublishedAt { get; set; }

    /// <summary>sha256 of its repomd.xml.</summary>
    public string? RepomdSha256 { get; set; }
}
